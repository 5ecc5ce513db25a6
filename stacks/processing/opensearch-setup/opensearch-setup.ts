import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { InClusterJob } from "../../../lib/in-cluster-job";
import { bundleJobScript } from "../../../lib/bundle";
import { renderIndexTemplate, renderSavedObjects, templateName } from "./dashboard-content";
import { opensearchAuditConfig } from "./audit-config";
import type { OpenSearchSetupSpec } from "./setup-steps";
import { SETUP_FILES } from "./setup-steps";
import { opensearchSinkRole, SINK_USERS } from "../sinks/sink-users";

/**
 * The fraud dashboard in OpenSearch Dashboards, the index template of the flagged accounts, the
 * security plugin's audit logging (audit-config.ts) and the OpenSearch sink's own user, put in place
 * by a Job in the EKS cluster (setup-steps.ts): its requests leave through the NAT gateways, which
 * the domain policy admits, so the deployer's address does not matter. It must run after the domain
 * policy that admits them and before the OpenSearch sink writes its first document, so the index is created with the template's mapping (`updated_at` a date,
 * `reasons` a keyword whose `rule` sub-field splits it, so "fraud by reason" counts each rule) and the
 * sink's user exists.
 */

export interface OpenSearchSetupArgs {
  /** Domain endpoint host name, without scheme. */
  readonly endpoint: string;
  readonly masterUser: string;
  readonly masterPassword: pulumi.Input<string>;
  readonly index: string;
  /** Password of the sink's internal user (see SinkCredentials). */
  readonly sinkPassword: pulumi.Input<string>;
  readonly provider: k8s.Provider;
  /** Namespace the Job runs in (aws-resources `jobsNamespace`). */
  readonly namespace: string;
  /** The domain policy that admits the NAT gateways' addresses (public mode). */
  readonly after: pulumi.Resource[];
  /** The OpenSearch Ingestion pipeline's role, which writes the index as the sink does (private mode). */
  readonly pipelineRoleArn?: string;
}

/** Setting up a fresh domain takes seconds; the client retries a busy one for about a minute per call. */
const DEADLINE_SECONDS = 15 * 60;

export class OpenSearchSetup extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job;

  constructor(name: string, args: OpenSearchSetupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:opensearch:OpenSearchSetup", name, {}, opts);
    const spec: OpenSearchSetupSpec = {
      templateName: templateName(args.index),
      template: JSON.parse(renderIndexTemplate(args.index)) as unknown,
      sinkUser: SINK_USERS.opensearch,
      sinkRole: SINK_USERS.opensearchRole,
      sinkRoleBody: opensearchSinkRole(args.index),
      auditConfig: opensearchAuditConfig(args.index),
      ...(args.pipelineRoleArn ? { sinkBackendRoles: [args.pipelineRoleArn] } : {}),
    };
    const setup = new InClusterJob(
      `${name}-job`,
      {
        content: {
          baseName: "opensearch-setup",
          namespace: args.namespace,
          script: bundleJobScript("stacks/processing/opensearch-setup/job-main.ts"),
          files: {
            [SETUP_FILES.savedObjects]: renderSavedObjects(args.index),
            [SETUP_FILES.spec]: JSON.stringify(spec),
          },
          env: { OPENSEARCH_ENDPOINT: args.endpoint, OPENSEARCH_USER: args.masterUser },
          secretKeys: ["OPENSEARCH_PASSWORD", "SINK_PASSWORD"],
          activeDeadlineSeconds: DEADLINE_SECONDS,
        },
        secrets: {
          OPENSEARCH_PASSWORD: args.masterPassword,
          SINK_PASSWORD: args.sinkPassword,
        },
        provider: args.provider,
        dependsOn: args.after,
      },
      { parent: this },
    );
    this.job = setup.job;
    this.registerOutputs({});
  }
}
