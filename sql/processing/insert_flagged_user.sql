-- The rules job: the flagged windows (flagged_windows.sql) joined with the account's name and
-- email, upserted as one row per flagged account into the result table. `window_start` and
-- `updated_at` (the window's last instant) are on the transactions' clock, as are the Redshift
-- views (both read RECEIVED_AT as UTC epoch time).
-- State: window state is released as windows close; the join keeps each flagged window for the
-- statement's state TTL (sql.state-ttl, set by the stack from the window length) so a user row
-- that arrives a little after its account's transactions still completes it; the user side `u`
-- is exempt from the TTL (STATE_TTL '0' = never expires, as in open-source Flink): users are
-- written once and would otherwise stop matching, and that side holds one row per account.
INSERT INTO {{flaggedTable}} (
  `account_id`, `user_name`, `email`, `total_amount`, `transaction_count`, `max_amount`,
  `blocked_ip_count`, `reasons`, `window_start`, `updated_at`
)
SELECT /*+ STATE_TTL('u' = '0') */
  CAST(c.`account_id` AS BIGINT),
  u.`USERNAME`,
  u.`EMAIL`,
  c.`total_amount`,
  c.`transaction_count`,
  c.`max_amount`,
  c.`blocked_ip_count`,
  c.`reasons`,
  CAST(c.`window_start` AS TIMESTAMP_LTZ(3)),
  c.`window_time`
FROM (
  /*@flagged_windows*/
) AS c
JOIN {{userTable}} AS u ON c.`account_id` = u.`ID`;
