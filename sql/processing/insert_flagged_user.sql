-- The fraud rules, one long-running job. Per account, over hopping windows of {{windowSize}}
-- that advance by {{windowSlide}} (so a burst is never split across a window boundary), it
-- computes the window's aggregates, evaluates the four rules as named boolean columns, joins the
-- account's name and email, and upserts one row per flagged account into the result table.
-- `reasons` lists every rule the window broke, comma-separated, in a fixed order.
-- Windows run on the transactions' own time (the connector stack's event-time column of
-- user_transaction, with its watermark): a window closes once later transactions move the
-- watermark past its end; `window_start` and `updated_at` (the window's last instant) are on
-- that same clock, as are the Redshift views (both read RECEIVED_AT as UTC epoch time).
INSERT INTO {{flaggedTable}} (
  `account_id`, `user_name`, `email`, `total_amount`, `transaction_count`, `max_amount`,
  `blocked_ip_count`, `reasons`, `window_start`, `updated_at`
)
SELECT
  CAST(c.`account_id` AS BIGINT),
  u.`USERNAME`,
  u.`EMAIL`,
  c.`total_amount`,
  c.`transaction_count`,
  c.`max_amount`,
  c.`blocked_ip_count`,
  CONCAT_WS(
    ',',
    CASE WHEN c.`too_many_count` THEN 'too_many_count' END,
    CASE WHEN c.`too_many_amount` THEN 'too_many_amount' END,
    CASE WHEN c.`too_large` THEN 'too_large' END,
    CASE WHEN c.`too_far` THEN 'too_far' END
  ),
  CAST(c.`window_start` AS TIMESTAMP_LTZ(3)),
  c.`window_time`
FROM (
  SELECT
    w.*,
    w.`transaction_count` > {{maxWindowCount}} AS `too_many_count`,
    w.`total_amount` > {{maxWindowAmount}} AS `too_many_amount`,
    w.`max_amount` >= {{singleTransactionLimit}} AS `too_large`,
    w.`blocked_ip_count` > 0 AS `too_far`
  FROM (
    SELECT
      `ACCOUNT_ID` AS `account_id`,
      `window_start`,
      `window_end`,
      `window_time`,
      CAST(SUM(`AMOUNT`) AS DOUBLE) AS `total_amount`,
      COUNT(*) AS `transaction_count`,
      CAST(MAX(`AMOUNT`) AS DOUBLE) AS `max_amount`,
      CAST(SUM(CASE WHEN /*@blocked_ip_predicate*/ FALSE THEN 1 ELSE 0 END) AS BIGINT) AS `blocked_ip_count`
    FROM TABLE(
      HOP(TABLE {{transactionTable}}, DESCRIPTOR({{eventTime}}), {{windowSlide}}, {{windowSize}})
    )
    GROUP BY `ACCOUNT_ID`, `window_start`, `window_end`, `window_time`
  ) AS w
) AS c
JOIN {{userTable}} AS u ON c.`account_id` = u.`ID`
WHERE c.`too_many_count` OR c.`too_many_amount` OR c.`too_large` OR c.`too_far`;
