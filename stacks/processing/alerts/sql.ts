import { ident, renderSqlFile, sqlInterval, withoutCommentLines } from "../../../lib/sql";
import type { FraudTables, FraudThresholds } from "../fraud-rules/sql";
import { renderJob } from "../fraud-rules/sql";

/**
 * The alert feed's Flink SQL: an append-only table and the job that fills it with one row each
 * time an account is newly flagged. The job judges transactions with the rules job's own checks, so
 * an alert and a flagged_user row can never disagree on what fraud is.
 */

/** The Flink table (and Kafka topic) the Lambda Sink connector reads. */
export const ALERTS_TABLE = "fraud_alert";

export interface AlertTables extends Pick<FraudTables, "userTable" | "transactionTable"> {
  readonly alertsTable: string;
}

export function renderCreateFraudAlerts(tables: Pick<AlertTables, "alertsTable">): string {
  return withoutCommentLines(
    renderSqlFile("processing/create_fraud_alert.sql", { alertsTable: ident(tables.alertsTable) }),
  );
}

/**
 * The alerts job. The quiet period is enforced here, in Flink, rather than in the function: Flink
 * keeps each account's last flag in keyed, checkpointed state, exact across restarts,
 * while concurrent Lambda containers share no memory and would each alert once.
 */
export function renderFraudAlerts(t: FraudThresholds, tables: AlertTables, quietMinutes: number): string {
  // From the latest offset: a new or replaced alerts job must not email every fraud in the topic's
  // history; the cost is that transactions arriving while a job is replaced raise no alert.
  const source = { transactionTable: tables.transactionTable, start: "latest" } as const;
  return renderJob("insert_fraud_alert.sql", t, source, ["with_window"], {
    alertsTable: ident(tables.alertsTable),
    userTable: ident(tables.userTable),
    quietPeriod: sqlInterval(`${quietMinutes} MINUTE`),
  });
}
