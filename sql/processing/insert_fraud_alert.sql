-- The alerts job: the flagged windows (flagged_windows.sql, the rules job's own checks), each joined
-- with the account's name and email as of the window's end, kept only when the account is newly
-- flagged: its previous flagged window ended at least {{quietPeriod}} before this window starts.
-- Overlapping windows of one burst, and repeats within the quiet period, are continuations and
-- raise no alert. Every step is append-only (windows, an event-time temporal join, an event-time
-- OVER), so the feed gets each alert once. State stays bounded without a TTL: windows and join
-- inputs are released as the watermark passes them; what remains is the latest version of each
-- user and the end of each account's last flagged window, one entry per account. A TTL would
-- expire users that never change and silently drop their alerts, so none is set.
INSERT INTO {{alertsTable}} (
  `account_id`, `user_name`, `email`, `reasons`, `window_start`, `window_end`,
  `total_amount`, `transaction_count`, `max_amount`, `blocked_ip_count`
)
SELECT
  CAST(a.`account_id` AS BIGINT),
  a.`user_name`,
  a.`email`,
  a.`reasons`,
  CAST(a.`window_start` AS TIMESTAMP_LTZ(3)),
  CAST(a.`window_end` AS TIMESTAMP_LTZ(3)),
  a.`total_amount`,
  a.`transaction_count`,
  a.`max_amount`,
  a.`blocked_ip_count`
FROM (
  SELECT
    j.*,
    LAG(j.`window_end`) OVER (PARTITION BY j.`account_id` ORDER BY j.`window_time`) AS `previous_flag_end`
  FROM (
    SELECT c.*, u.`USERNAME` AS `user_name`, u.`EMAIL` AS `email`
    FROM (
      /*@flagged_windows*/
    ) AS c
    JOIN {{userTable}} FOR SYSTEM_TIME AS OF c.`window_time` AS u ON c.`account_id` = u.`ID`
  ) AS j
) AS a
WHERE a.`previous_flag_end` IS NULL OR a.`window_start` >= a.`previous_flag_end` + {{quietPeriod}};
