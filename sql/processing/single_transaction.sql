-- Each transaction alone, the moment it arrives: no window and no watermark, so what one transaction
-- breaks by itself (at or over the single limit, from a blocked address, above the window total on
-- its own) is known at once. The trailing window (trailing_window.sql) judges the same transaction
-- again once the watermark passes it, with its account's recent history.
SELECT
  `ACCOUNT_ID` AS `account_id`,
  {{eventTime}} AS `event_time`,
  `AMOUNT` AS `amount`,
  `blocked`,
  CAST(1 AS BIGINT) AS `transaction_count`,
  `AMOUNT` AS `total_amount`,
  `AMOUNT` AS `max_amount`,
  `blocked` AS `blocked_ip_count`
FROM (
  SELECT t.*, CASE WHEN /*@blocked_ip_predicate*/ FALSE THEN 1 ELSE 0 END AS `blocked`
  FROM {{transactionTable}}/*@source_options*/ AS t
)
