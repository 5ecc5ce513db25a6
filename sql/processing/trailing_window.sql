-- Each transaction with its account's trailing window: the transactions of the account at most
-- {{windowSize}} before it, itself included, as an event-time OVER aggregation. Flink emits a
-- transaction once the watermark passes it (so it waits at most the watermark delay of
-- user_transaction, on the transactions' own time), and keeps per account only the transactions still
-- inside the window. One OVER window serves every aggregate, as streaming Flink requires. The
-- source-options marker lets a job choose where it starts reading (see fraud-rules.ts); a hint
-- belongs right after a table name in a FROM clause.
SELECT
  `ACCOUNT_ID` AS `account_id`,
  {{eventTime}} AS `event_time`,
  `AMOUNT` AS `amount`,
  `blocked`,
  COUNT(*) OVER w AS `transaction_count`,
  SUM(`AMOUNT`) OVER w AS `total_amount`,
  MAX(`AMOUNT`) OVER w AS `max_amount`,
  SUM(`blocked`) OVER w AS `blocked_ip_count`
FROM (
  SELECT t.*, CASE WHEN /*@blocked_ip_predicate*/ FALSE THEN 1 ELSE 0 END AS `blocked`
  FROM {{transactionTable}}/*@source_options*/ AS t
)
WINDOW w AS (PARTITION BY `ACCOUNT_ID` ORDER BY {{eventTime}} RANGE BETWEEN {{windowSize}} PRECEDING AND CURRENT ROW)
