import { bundleLambdaFunction } from "../../../lib/bundle";
import { statementName } from "../../../lib/sql";
import type { FraudTables, FraudThresholds } from "../fraud-rules/sql";
import { ALERTS_TABLE, renderCreateFraudAlerts, renderFraudAlerts } from "./sql";

/**
 * Everything the alerts need that can fail, done before any resource: the physical names, both SQL
 * statements and the bundled function.
 */

/** The alert function's handler, from the repository root. */
export const ALERT_HANDLER = "functions/alert-notifier/handler.ts";

export interface AlertNames {
  readonly functionName: string;
  /** The role Confluent assumes; its name is fixed up front (see confluentRoleArn). */
  readonly confluentRoleName: string;
  readonly functionRoleName: string;
  readonly topicName: string;
  readonly connectorName: string;
  readonly integrationName: string;
  readonly serviceAccountName: string;
}

/** IAM role names: at most 64 characters. */
export function alertNames(namePrefix: string): AlertNames {
  const names = {
    functionName: `${namePrefix}-alert-notifier`,
    confluentRoleName: `${namePrefix}-alerts-confluent`,
    functionRoleName: `${namePrefix}-alert-notifier`,
    topicName: `${namePrefix}-fraud-alerts`,
    connectorName: `${namePrefix}-alerts-lambda-sink`,
    integrationName: `${namePrefix}-alerts-lambda`,
    serviceAccountName: `${namePrefix}-alerts-sink`,
  };
  for (const [key, value] of Object.entries(names)) {
    if (value.length > 64)
      throw new Error(`${key} ${value} is longer than 64 characters; shorten the name prefix`);
  }
  return names;
}

/** What the alerts are made of; `renderAlerts` gives it. */
export interface RenderedAlerts {
  readonly names: AlertNames;
  /** ALERT_HANDLER bundled into one CommonJS file. */
  readonly functionCode: string;
  readonly alertsTable: string;
  readonly createTable: { readonly name: string; readonly sql: string };
  readonly job: { readonly name: string; readonly sql: string };
}

export interface AlertSettings extends FraudThresholds {
  readonly alertEmails: readonly string[];
  readonly alertQuietMinutes: number;
}

/** The alerts of a stack whose resources are named `<namePrefix>-…`; undefined when `alertEmails` is empty (alerts off). */
export function renderAlerts(
  cfg: AlertSettings,
  tables: Pick<FraudTables, "userTable" | "transactionTable">,
  namePrefix: string,
): RenderedAlerts | undefined {
  if (cfg.alertEmails.length === 0) return undefined;
  const alertTables = { ...tables, alertsTable: ALERTS_TABLE };
  const createSql = renderCreateFraudAlerts(alertTables);
  const jobSql = renderFraudAlerts(cfg, alertTables, cfg.alertQuietMinutes);
  return {
    names: alertNames(namePrefix),
    functionCode: bundleLambdaFunction(ALERT_HANDLER),
    alertsTable: ALERTS_TABLE,
    createTable: { name: statementName(`${namePrefix}-fraud-alert-table`, createSql), sql: createSql },
    job: { name: statementName(`${namePrefix}-fraud-alerts`, jobSql), sql: jobSql },
  };
}
