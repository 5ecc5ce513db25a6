-- The rules job: every flagged transaction (judge_transactions.sql), first on its own as it arrives,
-- then again with its trailing window once the watermark passes it; per account only the latest is
-- kept (by the transactions' time; a later judgement of the same transaction replaces the earlier),
-- joined with the account's name and email, and upserted as one row per account into the result
-- table. `window_start` and `updated_at` bound the transaction's trailing window, on the
-- transactions' clock (as the Redshift views, which read RECEIVED_AT as UTC epoch time).
-- State: the trailing windows are released as the watermark passes them; the latest flag per
-- account and the join's copy of it stay for the statement's state TTL (sql.state-ttl, set by the
-- stack from the window length), so a user row that arrives a little after its account's flag still
-- completes it; the user side `u` is exempt from the TTL (STATE_TTL '0' = never expires, as in
-- open-source Flink): users are written once and would otherwise stop matching. Both join sides are
-- keyed by the account, so the sink is updated by its own key.
INSERT INTO {{flaggedTable}} (
  `account_id`, `user_name`, `email`, `total_amount`, `transaction_count`, `max_amount`,
  `blocked_ip_count`, `reasons`, `window_start`, `updated_at`
)
SELECT /*+ STATE_TTL('u' = '0') */
  CAST(c.`account_id` AS BIGINT),
  u.`USERNAME`,
  u.`EMAIL`,
  CAST(c.`total_amount` AS DOUBLE),
  c.`transaction_count`,
  CAST(c.`max_amount` AS DOUBLE),
  CAST(c.`blocked_ip_count` AS BIGINT),
  c.`reasons`,
  CAST(c.`event_time` - {{windowSize}} AS TIMESTAMP_LTZ(3)),
  CAST(c.`event_time` AS TIMESTAMP_LTZ(3))
FROM (
  SELECT *
  FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY `account_id` ORDER BY `event_time` DESC) AS `latest`
    FROM (
      SELECT * FROM (/*@judged_alone*/)
      UNION ALL
      SELECT * FROM (/*@judged_with_window*/)
    )
  )
  WHERE `latest` = 1
) AS c
JOIN {{userTable}} AS u ON c.`account_id` = u.`ID`;
