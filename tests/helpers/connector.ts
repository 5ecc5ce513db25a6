import { awsResourcesContract, PROJECTS } from "../../lib/contracts";
import type { InvokeFixture } from "../../tools/offline/fixtures";
import type { UpstreamStack } from "../../tools/offline/mocks";
import type { StackRun } from "../../tools/offline/run-stack";
import { asUpstream, runStack } from "../../tools/offline/run-stack";
import { readProject, stackConfig } from "../../tools/offline/project-config";
import { main } from "../../stacks/connector/program";
import { syntheticAwsResources, upstreamOf } from "./synthetic-upstream";

/** The StackReference name the connector stack opens by default under mocks. */
export const AWS_RESOURCES_REF = `organization/${PROJECTS.awsResources}/dev`;

/** The synthetic aws-resources outputs, as the connector stack's StackReference serves them. */
export const syntheticAwsUpstream = (): UpstreamStack =>
  upstreamOf(awsResourcesContract, syntheticAwsResources);

export interface RunConnectorOptions {
  /** Upstream stacks by reference name; defaults to the synthetic aws-resources outputs. */
  readonly upstream?: Readonly<Record<string, UpstreamStack>>;
  /** Data-source answers that replace the default fixtures. */
  readonly invokes?: Readonly<Record<string, InvokeFixture>>;
}

/**
 * Runs the connector stack offline with `Pulumi.dev.yaml` (+ `overrides`, unqualified keys such as
 * `tableBuckets`, or qualified ones such as `aws:region`; `null` unsets) and an aws-resources upstream.
 * `upstream` may be one UpstreamStack (served as organization/aws-resources/dev) or a map by name.
 */
export async function runConnector(
  overrides: Readonly<Record<string, unknown>> = {},
  upstream?: UpstreamStack,
  options: RunConnectorOptions = {},
): Promise<StackRun> {
  const project = readProject(PROJECTS.connector);
  const { config, secretKeys } = stackConfig(project, "dev", overrides);
  const aws = upstream ?? syntheticAwsUpstream();
  return runStack({
    project: project.name,
    stack: "dev",
    region: String(aws.outputs.awsRegion ?? "us-east-1"),
    config,
    secretKeys,
    upstream: options.upstream ?? { [AWS_RESOURCES_REF]: aws },
    ...(options.invokes ? { invokes: options.invokes } : {}),
    program: main,
    quiet: true,
  });
}

/** A finished connector run as the processing stack's upstream. */
export const connectorUpstream = (run: StackRun): UpstreamStack => asUpstream(run);
