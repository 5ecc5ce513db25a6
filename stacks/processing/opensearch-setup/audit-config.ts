import type { AuditCategory, AuditConfig } from "../../../lib/opensearch-api";

/**
 * The audit configuration the OpenSearch Job puts in the domain's security plugin: the domain publishes
 * AUDIT_LOGS to CloudWatch (aws-resources), but the plugin writes nothing until this is enabled (step 2 of
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html). Fields:
 * https://docs.opensearch.org/latest/security/audit-logs/index/
 */

/**
 * Successful logins and granted requests are every request the sink and the dashboards make: off on
 * both layers (the plugin's and AWS's defaults). Failed logins, missing privileges, bad headers and TLS
 * errors stay on.
 */
const QUIET_AUDIT_CATEGORIES: readonly AuditCategory[] = ["AUTHENTICATED", "GRANTED_PRIVILEGES"];

export const OPENSEARCH_AUDIT_CONFIG: AuditConfig = {
  enabled: true,
  audit: {
    enable_rest: true,
    disabled_rest_categories: QUIET_AUDIT_CATEGORIES,
    enable_transport: true,
    disabled_transport_categories: QUIET_AUDIT_CATEGORIES,
    // One event per bulk item would multiply the sink's volume; the bulk request itself is still logged.
    resolve_bulk_requests: false,
    // Bodies carry the flagged accounts' documents and, for security-API calls, passwords.
    log_request_body: false,
    resolve_indices: true,
    // Keeps the Authorization header (basic-auth credentials) out of the events.
    exclude_sensitive_headers: true,
    // No user and no request is exempt: a stolen sink or master login must show.
    ignore_users: [],
    ignore_requests: [],
    // Nothing of a request is left out of its event but the credentials (above).
    ignore_headers: [],
    ignore_url_params: [],
  },
  compliance: {
    enabled: true,
    // Who changed users, roles, mappings or this configuration.
    internal_config: true,
    // The node settings are AWS's, not ours to watch.
    external_config: false,
    // Document reads and writes: metadata only, and no index watched field by field (every sink upsert
    // would be an event carrying account data).
    read_metadata_only: true,
    read_watched_fields: {},
    read_ignore_users: [],
    write_metadata_only: true,
    write_log_diffs: false,
    write_watched_indices: [],
    write_ignore_users: [],
  },
};
