import type * as pulumi from "@pulumi/pulumi";

/**
 * Component type tokens read `fraud-infra:<service area>:<Component>`: the area is what the component
 * builds (oracle, flink, sinks, …), never the stack it lives in, so one scheme holds in every stack.
 */
export const COMPONENT_TYPE = /^fraud-infra:[a-z0-9]+:[A-Z][A-Za-z0-9]*$/;

/**
 * `opts` plus an alias for each type token deployed stacks may hold the component under, so that
 * `pulumi up` moves the component and its children to their new URNs instead of replacing them.
 */
export function aliasFormerTypes(
  opts: pulumi.ComponentResourceOptions | undefined,
  ...types: string[]
): pulumi.ComponentResourceOptions {
  return { ...opts, aliases: [...(opts?.aliases ?? []), ...types.map((type) => ({ type }))] };
}
