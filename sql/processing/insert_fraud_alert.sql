-- The alerts job: each transaction flagged with its trailing window (judge_transactions.sql over
-- trailing_window.sql, the rules job's own checks), joined with the account's name and email as of
-- the transaction's time, kept only when the account is newly flagged: its previous flagged
-- transaction is at least {{quietPeriod}} older. The rest of a burst, and repeats within the quiet
-- period, are continuations and raise no alert. Every step is append-only (the OVER window, an
-- event-time temporal join, an event-time OVER), so the feed gets each alert once. State stays
-- bounded without a TTL: the window and the join inputs are released as the watermark passes them;
-- what remains is the latest version of each user and the time of each account's last flag, one
-- entry per account. A TTL would expire users that never change and silently drop their alerts, so
-- none is set.
INSERT INTO {{alertsTable}} (
  `account_id`, `user_name`, `email`, `reasons`, `window_start`, `window_end`,
  `total_amount`, `transaction_count`, `max_amount`, `blocked_ip_count`
)
SELECT
  CAST(a.`account_id` AS BIGINT),
  a.`user_name`,
  a.`email`,
  a.`reasons`,
  CAST(a.`event_time` - {{windowSize}} AS TIMESTAMP_LTZ(3)),
  CAST(a.`event_time` AS TIMESTAMP_LTZ(3)),
  CAST(a.`total_amount` AS DOUBLE),
  a.`transaction_count`,
  CAST(a.`max_amount` AS DOUBLE),
  CAST(a.`blocked_ip_count` AS BIGINT)
FROM (
  SELECT
    j.*,
    LAG(j.`event_time`) OVER (PARTITION BY j.`account_id` ORDER BY j.`event_time`) AS `previous_flag_at`
  FROM (
    SELECT c.*, u.`USERNAME` AS `user_name`, u.`EMAIL` AS `email`
    FROM (
      /*@judged_with_window*/
    ) AS c
    JOIN {{userTable}} FOR SYSTEM_TIME AS OF c.`event_time` AS u ON c.`account_id` = u.`ID`
  ) AS j
) AS a
WHERE a.`previous_flag_at` IS NULL OR a.`event_time` >= a.`previous_flag_at` + {{quietPeriod}};
