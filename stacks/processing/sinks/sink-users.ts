import type { SecurityRole } from "../../../lib/opensearch-api";
import { renderSqlFile, sqlString } from "../../../lib/sql";
import { policyDocument } from "../confluent-role";

/**
 * The sinks' own users, so the connectors never log in as the data stores' master users (those stay in
 * AWS and in Pulumi state). Pure: names, the OpenSearch role, the Redshift statements and IAM policy.
 */

export const SINK_USERS = {
  /** Redshift user of the Redshift sink. */
  redshift: "fraud_sink",
  /** OpenSearch internal user of the OpenSearch sink, and its role. */
  opensearch: "fraud-sink",
  opensearchRole: "fraud-sink-writer",
} as const;

/**
 * What the OpenSearch sink may do: write documents into the flagged-accounts index (upserts and the
 * deletes of tombstones), create it (with the template's mapping) and add mappings. At cluster level only
 * the bulk entry point (`indices:data/write/bulk` is checked as a cluster action) and the two read-only
 * checks a client makes when it connects (`GET /` and cluster health). Confluent does not list the calls
 * its sink makes; a missing action shows as a 403 naming it in the connector's status, and is added here.
 * Action names: https://docs.opensearch.org/latest/security/access-control/permissions/
 */
export function opensearchSinkRole(index: string): SecurityRole {
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(index) || index.includes("*")) {
    throw new Error(`index ${JSON.stringify(index)} is not a plain OpenSearch index name`);
  }
  return {
    description: `Confluent OpenSearch sink: writes ${index} only`,
    cluster_permissions: ["cluster:monitor/main", "cluster:monitor/health", "indices:data/write/bulk"],
    index_permissions: [
      {
        index_patterns: [index],
        allowed_actions: [
          "indices:data/write/*",
          "indices:admin/create",
          "indices:admin/mapping/put",
          "indices:admin/get",
        ],
      },
    ],
  };
}

/** Where the Redshift sink signs in: the cluster's ARN parts. */
export interface RedshiftLogin {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterIdentifier: string;
  readonly database: string;
}

/**
 * What the role the Redshift sink assumes may do: get temporary credentials for its own user in the
 * one database, never another user's or with auto-creation, and describe the one cluster (drivers that
 * sign in with IAM look up the endpoint). ARN forms:
 * https://docs.aws.amazon.com/redshift/latest/mgmt/generating-iam-credentials-role-permissions.html
 */
export function redshiftSinkCredentialsPolicy(login: RedshiftLogin) {
  const arn = (resource: string) =>
    `arn:${login.partition}:redshift:${login.region}:${login.accountId}:${resource}`;
  return policyDocument(
    {
      Effect: "Allow",
      Action: "redshift:GetClusterCredentials",
      Resource: [
        arn(`dbuser:${login.clusterIdentifier}/${SINK_USERS.redshift}`),
        arn(`dbname:${login.clusterIdentifier}/${login.database}`),
      ],
    },
    {
      Effect: "Allow",
      Action: "redshift:DescribeClusters",
      Resource: arn(`cluster:${login.clusterIdentifier}`),
    },
  );
}

/** The tables the Redshift sink writes (auto.create, named after its topics, in schema public). */
export interface SinkTables {
  readonly users: string;
  readonly transactions: string;
}

/** The procedure that creates or updates the sink user and grants it its tables (not secret). */
export function renderEnsureSinkUserProcedure(tables: SinkTables): string {
  return renderSqlFile("redshift/sink-user/ensure-sink-user-procedure.sql", {
    usersTable: sqlString(tables.users),
    transactionsTable: sqlString(tables.transactions),
  });
}

/** The call: the user's name only, nothing secret. */
export function renderEnsureSinkUserCall(user: string): string {
  return renderSqlFile("redshift/sink-user/call-ensure-sink-user.sql", { userName: sqlString(user) });
}
