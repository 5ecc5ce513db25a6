import * as pulumi from "@pulumi/pulumi";
import { renderIndexTemplate, renderSavedObjects, savedObjectRefs, templateName } from "./dashboard-content";
import { DashboardImport } from "./dashboard-import";

/**
 * The fraud dashboard in OpenSearch Dashboards and the index template of the flagged accounts,
 * put in place by the stack (no manual import). It must run after this stack has opened the
 * domain policy and before the OpenSearch sink writes its first document, so the index is
 * created with the template's mapping (`updated_at` a date, `reasons` a keyword whose `rule`
 * sub-field splits it, so "fraud by reason" counts each rule).
 */

export interface FraudDashboardsArgs {
  /** Domain endpoint host name, without scheme. */
  readonly endpoint: string;
  readonly masterUser: string;
  readonly masterPassword: pulumi.Input<string>;
  readonly index: string;
  /** Resources the import waits for: the domain policy that lets this machine reach the domain. */
  readonly after: pulumi.Resource[];
}

export class FraudDashboards extends pulumi.ComponentResource {
  readonly import: DashboardImport;

  constructor(name: string, args: FraudDashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:processing:FraudDashboards", name, {}, opts);
    this.import = new DashboardImport(
      `${name}-import`,
      {
        endpoint: args.endpoint,
        username: args.masterUser,
        password: pulumi.secret(args.masterPassword),
        templateName: templateName(args.index),
        template: renderIndexTemplate(args.index),
        savedObjects: renderSavedObjects(args.index),
        objects: savedObjectRefs(),
      },
      { parent: this, dependsOn: args.after },
    );
    this.registerOutputs({});
  }
}
