import type { AuditCategory, AuditConfig } from "../../../lib/opensearch-api";

/**
 * The audit configuration the OpenSearch Job puts in the domain's security plugin: the domain publishes
 * AUDIT_LOGS to CloudWatch (aws-resources), but the plugin writes nothing until this is enabled (step 2 of
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html). Fields:
 * https://docs.opensearch.org/latest/security/audit-logs/index/
 */

/**
 * A successful REST login is recorded once, on REST: the transport layer would record it again for
 * every internal action the request fans out into. GRANTED_PRIVILEGES exists on transport only, where it
 * stays on, so a stolen sink or master login that succeeds leaves its login and what it did.
 */
const TRANSPORT_ONLY_QUIET: readonly AuditCategory[] = ["AUTHENTICATED"];

/** The audit configuration for the flagged-accounts index `index`. */
export function opensearchAuditConfig(index: string): AuditConfig {
  return {
    enabled: true,
    audit: {
      enable_rest: true,
      disabled_rest_categories: [],
      enable_transport: true,
      disabled_transport_categories: TRANSPORT_ONLY_QUIET,
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
      // Every read of a flagged account (the index holds names and email addresses) is an event, with
      // which document was read and by whom but no field values. The index holds one document per
      // flagged account, so the events stay few; writes (every sink upsert) are not watched.
      read_metadata_only: true,
      read_watched_fields: { [index]: ["*"] },
      read_ignore_users: [],
      write_metadata_only: true,
      write_log_diffs: false,
      write_watched_indices: [],
      write_ignore_users: [],
    },
  };
}
