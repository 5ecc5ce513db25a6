-- Flagged accounts with their transactions: every transaction that breaks a rule on its own
-- (too_large, too_far) or lies in a window that breaks one (too_many_count, too_many_amount),
-- with the reasons in the same words and order as the flagged_user table.
CREATE OR REPLACE VIEW fraud.flagged_transactions AS
SELECT
  transaction_id,
  account_id,
  username,
  email,
  amount,
  ip_address,
  received_at,
  window_start,
  window_transactions,
  window_total_amount,
  BTRIM(
    CASE WHEN too_many_count THEN 'too_many_count,' ELSE '' END
    || CASE WHEN too_many_amount THEN 'too_many_amount,' ELSE '' END
    || CASE WHEN too_large THEN 'too_large,' ELSE '' END
    || CASE WHEN too_far THEN 'too_far,' ELSE '' END,
    ','
  ) AS reasons
FROM (
  SELECT
    t.transaction_id,
    t.account_id,
    t.username,
    t.email,
    t.amount,
    t.ip_address,
    t.received_at,
    t.window_start,
    w.transactions AS window_transactions,
    w.total_amount AS window_total_amount,
    w.too_many_count,
    w.too_many_amount,
    t.amount >= {{singleTransactionLimit}} AS too_large,
    /*@blocked_ip_predicate*/ FALSE AS too_far
  FROM fraud.user_transactions AS t
  JOIN fraud.account_windows AS w ON w.account_id = t.account_id AND w.window_start = t.window_start
) AS f
WHERE too_many_count OR too_many_amount OR too_large OR too_far
WITH NO SCHEMA BINDING;
