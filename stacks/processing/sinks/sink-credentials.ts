import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { OPENSEARCH_PASSWORD_RULES } from "../../../lib/opensearch-policy";
import { confluentRole } from "../confluent-role";
import type { SinkTables } from "./sink-users";
import {
  redshiftSinkCredentialsPolicy,
  renderEnsureSinkUserCall,
  renderEnsureSinkUserProcedure,
  SINK_USERS,
} from "./sink-users";

export interface SinkCredentialsArgs {
  /** Base of the Secrets Manager names, `<namePrefix>-…`. */
  readonly namePrefix: string;
  /** The deployment's customer-managed KMS key (aws-resources `kmsKeyArn`); empty = AWS-managed. */
  readonly kmsKeyArn: string;
  readonly redshift: {
    readonly region: string;
    /** The Confluent environment whose provider integration the Redshift sink signs in through. */
    readonly environmentId: string;
    readonly clusterIdentifier: string;
    readonly database: string;
    /** The admin user; the Data API issues temporary credentials for it (no password travels). */
    readonly adminUser: string;
    readonly tables: SinkTables;
    /** The statement that creates schema `fraud`, where the procedure lives. */
    readonly after: pulumi.Resource[];
  };
}

/** Days a deleted sink secret stays recoverable (Secrets Manager's range is 7 to 30). */
const SECRET_RECOVERY_DAYS = 7;

/**
 * The sinks' own credentials. The OpenSearch sink user gets a generated password, kept in a Secrets
 * Manager secret for operators; that user is created by the in-cluster OpenSearch Job (OpenSearchSetup),
 * which needs the domain's network path. The Redshift sink user has no password: it is created with its
 * password disabled through the Data API, and the sink gets temporary credentials for it through its own
 * provider integration and a role that may get only those.
 */
export class SinkCredentials extends pulumi.ComponentResource {
  readonly redshiftUser = SINK_USERS.redshift;
  /** The integration the Redshift sink names in `provider.integration.id`. */
  readonly redshiftIntegrationId: pulumi.Output<string>;
  readonly opensearchUser = SINK_USERS.opensearch;
  readonly opensearchPassword: pulumi.Output<string>;
  /** Completes once the Redshift user exists with its grants, and its role may get its credentials. */
  readonly redshiftUserReady: pulumi.Resource[];

  constructor(name: string, args: SinkCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:sinks:SinkCredentials", name, {}, opts);
    const parent = { parent: this };

    // The master user's rules: the security plugin may enforce a password_validation_regex.
    const password = new random.RandomPassword(
      `${name}-opensearch-password`,
      { ...OPENSEARCH_PASSWORD_RULES },
      parent,
    );
    // A name prefix (the provider adds a unique suffix): a secret deleted with a recovery window
    // never blocks the next deployment from creating its own.
    const secret = new aws.secretsmanager.Secret(
      `${name}-opensearch`,
      {
        namePrefix: `${args.namePrefix}-opensearch-sink-user-`,
        description:
          "OpenSearch internal user of the Confluent OpenSearch sink (writes only the flagged-accounts index)",
        kmsKeyId: args.kmsKeyArn || undefined,
        recoveryWindowInDays: SECRET_RECOVERY_DAYS,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-opensearch`,
      {
        secretId: secret.id,
        secretString: pulumi.jsonStringify({ username: SINK_USERS.opensearch, password: password.result }),
      },
      parent,
    );
    this.opensearchPassword = pulumi.secret(password.result);

    const run = (suffix: string, sql: pulumi.Input<string>, dependsOn: pulumi.Resource[]) =>
      new aws.redshiftdata.Statement(
        `${name}-${suffix}`,
        {
          clusterIdentifier: args.redshift.clusterIdentifier,
          database: args.redshift.database,
          dbUser: args.redshift.adminUser,
          sql,
        },
        { ...parent, dependsOn },
      );
    const procedure = run(
      "redshift-procedure",
      renderEnsureSinkUserProcedure(args.redshift.tables),
      args.redshift.after,
    );
    const user = run("redshift-user", renderEnsureSinkUserCall(SINK_USERS.redshift), [procedure]);

    const { integration, role, accountId, partition } = confluentRole(
      `${name}-redshift`,
      {
        environmentId: args.redshift.environmentId,
        integrationName: `${args.namePrefix}-redshift-sink`,
        roleName: `${args.namePrefix}-redshift-sink-confluent`,
      },
      this,
    );
    const credentialsPolicy = new aws.iam.RolePolicy(
      `${name}-redshift-credentials`,
      {
        role: role.name,
        policy: pulumi.all([partition, accountId]).apply(([p, account]) =>
          JSON.stringify(
            redshiftSinkCredentialsPolicy({
              partition: p,
              region: args.redshift.region,
              accountId: account,
              clusterIdentifier: args.redshift.clusterIdentifier,
              database: args.redshift.database,
            }),
          ),
        ),
      },
      parent,
    );
    this.redshiftIntegrationId = integration.id;
    this.redshiftUserReady = [user, credentialsPolicy];
    this.registerOutputs({});
  }
}
