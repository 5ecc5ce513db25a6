-- The result table of the fraud rules: one row per flagged account, kept current by key.
-- Upsert changelog on a compacted topic, so the latest flag of each account survives and the
-- OpenSearch sink can rebuild the index from the topic at any time. The column list is also the
-- schema the dashboards and the OpenSearch index template are checked against (one source).
CREATE TABLE IF NOT EXISTS {{flaggedTable}} (
  `account_id` BIGINT NOT NULL,
  `user_name` STRING,
  `email` STRING,
  `total_amount` DOUBLE,
  `transaction_count` BIGINT,
  `max_amount` DOUBLE,
  `blocked_ip_count` BIGINT,
  `reasons` STRING,
  `window_start` TIMESTAMP_LTZ(3),
  `updated_at` TIMESTAMP_LTZ(3),
  PRIMARY KEY (`account_id`) NOT ENFORCED
) WITH (
  'changelog.mode' = 'upsert',
  'key.format' = 'avro-registry',
  'value.format' = 'avro-registry',
  'value.fields-include' = 'all',
  'kafka.cleanup-policy' = 'compact'
);
