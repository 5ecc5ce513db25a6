-- The alert feed: one row per account each time it is newly flagged (see insert_fraud_alert.sql),
-- append-only, so a consumer sees each alert once instead of every upsert of flagged_user.
-- Keyed by account on one bucket: alerts are rare, and one partition keeps them in order.
-- Plain delete retention: the feed is a stream of events, not a table to compact.
CREATE TABLE IF NOT EXISTS {{alertsTable}} (
  `account_id` BIGINT NOT NULL,
  `user_name` STRING,
  `email` STRING,
  `reasons` STRING,
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `total_amount` DOUBLE,
  `transaction_count` BIGINT,
  `max_amount` DOUBLE,
  `blocked_ip_count` BIGINT
)
DISTRIBUTED BY HASH(`account_id`) INTO 1 BUCKETS
WITH (
  'changelog.mode' = 'append',
  'kafka.cleanup-policy' = 'delete',
  'key.format' = 'avro-registry',
  'value.format' = 'avro-registry',
  'value.fields-include' = 'all'
);
