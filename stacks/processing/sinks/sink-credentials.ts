import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { OPENSEARCH_PASSWORD_RULES } from "../../../lib/opensearch-policy";
import type { SinkTables } from "./sink-users";
import { renderEnsureSinkUserCall, renderEnsureSinkUserProcedure, SINK_USERS } from "./sink-users";

export interface SinkCredentialsArgs {
  /** Base of the Secrets Manager names, `<namePrefix>-…`. */
  readonly namePrefix: string;
  /** The deployment's customer-managed KMS key (aws-resources `kmsKeyArn`); empty = AWS-managed. */
  readonly kmsKeyArn: string;
  readonly redshift: {
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

/** Letters and digits only: valid for Redshift, and nothing to quote anywhere. */
const redshiftPasswordArgs: random.RandomPasswordArgs = {
  length: 32,
  special: false,
  minUpper: 2,
  minLower: 2,
  minNumeric: 2,
};

/**
 * The sinks' own credentials: a generated password per sink user, each kept in a Secrets Manager secret
 * for operators, and the Redshift user created with it through the Data API. The OpenSearch user is
 * created by the in-cluster OpenSearch Job (OpenSearchSetup), which needs the domain's network path.
 */
export class SinkCredentials extends pulumi.ComponentResource {
  readonly redshiftUser = SINK_USERS.redshift;
  readonly redshiftPassword: pulumi.Output<string>;
  readonly opensearchUser = SINK_USERS.opensearch;
  readonly opensearchPassword: pulumi.Output<string>;
  /** Completes once the Redshift user exists with its password and grants. */
  readonly redshiftUserReady: aws.redshiftdata.Statement;

  constructor(name: string, args: SinkCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:sinks:SinkCredentials", name, {}, opts);
    const parent = { parent: this };

    const stored = (
      store: string,
      user: string,
      description: string,
      passwordArgs: random.RandomPasswordArgs,
    ) => {
      const password = new random.RandomPassword(`${name}-${store}-password`, passwordArgs, parent);
      // A name prefix (the provider adds a unique suffix): a secret deleted with a recovery window
      // never blocks the next deployment from creating its own.
      const secret = new aws.secretsmanager.Secret(
        `${name}-${store}`,
        {
          namePrefix: `${args.namePrefix}-${store}-sink-user-`,
          description,
          kmsKeyId: args.kmsKeyArn || undefined,
          recoveryWindowInDays: SECRET_RECOVERY_DAYS,
        },
        parent,
      );
      new aws.secretsmanager.SecretVersion(
        `${name}-${store}`,
        {
          secretId: secret.id,
          secretString: pulumi.jsonStringify({ username: user, password: password.result }),
        },
        parent,
      );
      return pulumi.secret(password.result);
    };
    this.redshiftPassword = stored(
      "redshift",
      SINK_USERS.redshift,
      "Redshift user of the Confluent Redshift sink (owns only the tables it writes)",
      redshiftPasswordArgs,
    );
    this.opensearchPassword = stored(
      "opensearch",
      SINK_USERS.opensearch,
      "OpenSearch internal user of the Confluent OpenSearch sink (writes only the flagged-accounts index)",
      // The master user's rules: the security plugin may enforce a password_validation_regex.
      { ...OPENSEARCH_PASSWORD_RULES },
    );

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
    // Rendered inside apply and kept secret: the statement carries the password's hash, never the password.
    // A new password changes the text, which replaces the statement, which runs the call again.
    this.redshiftUserReady = run(
      "redshift-user",
      pulumi.secret(this.redshiftPassword.apply((pw) => renderEnsureSinkUserCall(SINK_USERS.redshift, pw))),
      [procedure],
    );
    this.registerOutputs({});
  }
}
