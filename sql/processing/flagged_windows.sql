-- The fraud rules proper, shared by the rules job and the alerts job so that both judge a window
-- by the very same checks. Per account, over hopping windows of {{windowSize}} that advance by
-- {{windowSlide}} (so a burst is never split across a window boundary), it computes the window's
-- aggregates, evaluates the four rules as named boolean columns and keeps the windows that break at
-- least one, with `reasons` listing every rule the window broke, comma-separated, in a fixed order.
-- Windows run on the transactions' own time (the connector stack's event-time column of
-- user_transaction, with its watermark): a window closes once later transactions move the
-- watermark past its end. The window state is released as each window closes. The source-options
-- marker lets a job read the transactions with its own start position (see fraud-rules.ts): a hint
-- belongs right after a table name in a FROM clause, which `TABLE t` inside HOP is not (Flink's
-- parser refuses a hint there), hence the subquery.
SELECT
  c.*,
  CONCAT_WS(
    ',',
    CASE WHEN c.`too_many_count` THEN 'too_many_count' END,
    CASE WHEN c.`too_many_amount` THEN 'too_many_amount' END,
    CASE WHEN c.`too_large` THEN 'too_large' END,
    CASE WHEN c.`too_far` THEN 'too_far' END
  ) AS `reasons`
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
      HOP((SELECT * FROM {{transactionTable}}/*@source_options*/), DESCRIPTOR({{eventTime}}), {{windowSlide}}, {{windowSize}})
    )
    GROUP BY `ACCOUNT_ID`, `window_start`, `window_end`, `window_time`
  ) AS w
) AS c
WHERE c.`too_many_count` OR c.`too_many_amount` OR c.`too_large` OR c.`too_far`
