import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { Grant, ScopeCrns } from "../../lib/role-bindings";
import { bindGrants } from "../../lib/role-bindings";
import type { AccessNames, Principal } from "./access-grants";
import {
  environmentAdminGrants,
  flinkKeyOwner,
  leastPrivilegeGrants,
  PRINCIPAL_DESCRIPTIONS,
  principalsFor,
  serviceAccountName,
} from "./access-grants";
import type { ConfluentPlatform } from "./platform";

export interface AccessControlArgs {
  /** Base of the service-account display names, e.g. `fd-dev-a1b2`. */
  readonly namePrefix: string;
  /** Topics and tables the role bindings are about. */
  readonly names: AccessNames;
  /** The environment, cluster, Schema Registry and Flink region the bindings and keys refer to. */
  readonly platform: ConfluentPlatform;
  /**
   * Replace the fine-grained grants with one EnvironmentAdmin binding per account (the documented
   * escape hatch for accounts that cannot create fine-grained bindings).
   * @default false
   */
  readonly useEnvironmentAdmin: boolean;
  /**
   * The cluster has private endpoints only: a Kafka API key created from outside cannot wait for the
   * cluster to accept it (the provider checks through the Kafka REST endpoint), so it does not.
   */
  readonly privateCluster: boolean;
}

/** An API key's id and secret; the secret is always a Pulumi secret. */
export interface ApiKeyPair {
  readonly key: confluentcloud.ApiKey;
  readonly id: pulumi.Output<string>;
  readonly secret: pulumi.Output<string>;
}

/**
 * Service accounts, their role bindings and their API keys. Every API key is created only after all
 * role bindings of its owner exist (explicit `dependsOn`), so a key is never handed out before it
 * works. Connectors get no key at all: they run as their service account.
 */
export class AccessControl extends pulumi.ComponentResource {
  readonly accounts: Readonly<Partial<Record<Principal, confluentcloud.ServiceAccount>>>;
  readonly bindings: Readonly<Partial<Record<Principal, confluentcloud.RoleBinding[]>>>;
  readonly grants: readonly Grant<Principal>[];
  /** Flink API key (owner: flink-deployer, or flink-statements under the escape hatch). */
  readonly flinkApiKey: ApiKeyPair;
  /** Kafka API key of the app account. */
  readonly appKafkaApiKey: ApiKeyPair;
  /** Schema Registry API key of the app account (also used by the CDC subjects gate). */
  readonly appSchemaRegistryApiKey: ApiKeyPair;

  constructor(name: string, args: AccessControlArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:confluent:AccessControl", name, {}, opts);
    const parent = { parent: this };
    const { platform } = args;

    if (args.useEnvironmentAdmin) {
      pulumi.log.warn(
        "connector:useEnvironmentAdmin is true: every service account gets EnvironmentAdmin on the whole " +
          "environment instead of least-privilege role bindings. Use it only if your Cloud API key cannot " +
          "create fine-grained role bindings, and turn it off again.",
        this,
      );
    }

    const accounts: Partial<Record<Principal, confluentcloud.ServiceAccount>> = {};
    for (const principal of principalsFor(args.useEnvironmentAdmin)) {
      accounts[principal] = new confluentcloud.ServiceAccount(
        `${name}-${principal}`,
        {
          displayName: serviceAccountName(args.namePrefix, principal),
          description: PRINCIPAL_DESCRIPTIONS[principal],
        },
        parent,
      );
    }
    this.accounts = accounts;
    const account = (p: Principal): confluentcloud.ServiceAccount => {
      const sa = accounts[p];
      if (!sa) throw new Error(`service account ${p} is not part of this access mode`);
      return sa;
    };

    const idsOf = (ps: readonly Principal[]) => Object.fromEntries(ps.map((p) => [p, account(p).id]));
    const crns: pulumi.Output<ScopeCrns> = pulumi.output({
      kafkaRbacCrn: platform.kafkaCluster.rbacCrn,
      kafkaClusterId: platform.kafkaCluster.id,
      schemaRegistryCrn: platform.schemaRegistry.resourceName,
      environmentCrn: platform.environment.resourceName,
      organizationCrn: platform.organization.resourceName,
    });

    this.grants = args.useEnvironmentAdmin ? environmentAdminGrants() : leastPrivilegeGrants(args.names);
    const target = { accountId: (p: Principal) => account(p).id, crns };
    const bindings: Partial<Record<Principal, confluentcloud.RoleBinding[]>> = {};
    for (const principal of principalsFor(args.useEnvironmentAdmin)) {
      const own = this.grants.filter((g) => g.principal === principal);
      if (own.length > 0) bindings[principal] = bindGrants(name, own, target, parent);
    }
    this.bindings = bindings;

    const apiKey = (
      keyName: string,
      owner: Principal,
      description: string,
      managedResource: pulumi.Input<confluentcloud.types.input.ApiKeyManagedResource>,
      extra: Pick<confluentcloud.ApiKeyArgs, "disableWaitForReady"> = {},
    ): ApiKeyPair => {
      const sa = account(owner);
      const key = new confluentcloud.ApiKey(
        `${name}-${keyName}`,
        {
          displayName: `${serviceAccountName(args.namePrefix, owner)}-${keyName}`,
          description,
          owner: { id: sa.id, apiVersion: sa.apiVersion, kind: sa.kind },
          managedResource,
          ...extra,
        },
        { parent: this, dependsOn: bindings[owner] ?? [] },
      );
      return { key, id: key.id, secret: pulumi.secret(key.secret) };
    };

    const environment = { id: platform.environment.id };
    this.flinkApiKey = apiKey(
      "flink-api-key",
      flinkKeyOwner(args.useEnvironmentAdmin),
      "Flink API key: submits the Flink statements of this environment",
      {
        id: platform.flinkRegion.id,
        apiVersion: platform.flinkRegion.apiVersion,
        kind: platform.flinkRegion.kind,
        environment,
      },
    );
    this.appKafkaApiKey = apiKey(
      "kafka-api-key",
      "app",
      "Kafka API key of the read-only app account",
      {
        id: platform.kafkaCluster.id,
        apiVersion: platform.kafkaCluster.apiVersion,
        kind: platform.kafkaCluster.kind,
        environment,
      },
      args.privateCluster ? { disableWaitForReady: true } : {},
    );
    this.appSchemaRegistryApiKey = apiKey(
      "schema-registry-api-key",
      "app",
      "Schema Registry API key of the read-only app account",
      {
        id: platform.schemaRegistry.id,
        apiVersion: platform.schemaRegistry.apiVersion,
        kind: platform.schemaRegistry.kind,
        environment,
      },
    );

    this.registerOutputs({
      serviceAccountIds: idsOf(principalsFor(args.useEnvironmentAdmin)),
      flinkApiKeyId: this.flinkApiKey.id,
      appKafkaApiKeyId: this.appKafkaApiKey.id,
    });
  }

  /** Id of a service account of this stack. */
  accountId(principal: Principal): pulumi.Output<string> {
    const sa = this.accounts[principal];
    if (!sa) throw new Error(`service account ${principal} is not part of this access mode`);
    return sa.id;
  }

  /** Role bindings of one account (empty if it has none). */
  bindingsOf(principal: Principal): confluentcloud.RoleBinding[] {
    return this.bindings[principal] ?? [];
  }
}
