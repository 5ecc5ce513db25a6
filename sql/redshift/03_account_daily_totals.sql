-- Per account and UTC day: how many transactions, how much, the largest one, from how many addresses.
CREATE OR REPLACE VIEW fraud.account_daily_totals AS
SELECT
  account_id,
  username,
  email,
  CAST(DATE_TRUNC('day', received_at) AS DATE) AS day,
  COUNT(*) AS transactions,
  SUM(amount) AS total_amount,
  MAX(amount) AS max_amount,
  COUNT(DISTINCT ip_address) AS distinct_ips
FROM fraud.user_transactions
GROUP BY account_id, username, email, CAST(DATE_TRUNC('day', received_at) AS DATE)
WITH NO SCHEMA BINDING;
