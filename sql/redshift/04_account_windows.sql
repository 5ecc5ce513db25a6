-- Per account and fixed window: the aggregates the Flink rules look at, with the two window rules
-- evaluated on the same thresholds (Flink judges each transaction's trailing window; these windows
-- are fixed, so a burst that straddles a boundary shows here in two windows — the live flags come
-- from Flink, this is for analysis).
CREATE OR REPLACE VIEW fraud.account_windows AS
SELECT
  account_id,
  window_start,
  COUNT(*) AS transactions,
  SUM(amount) AS total_amount,
  MAX(amount) AS max_amount,
  COUNT(*) > {{maxWindowCount}} AS too_many_count,
  SUM(amount) > {{maxWindowAmount}} AS too_many_amount
FROM fraud.user_transactions
GROUP BY account_id, window_start
WITH NO SCHEMA BINDING;
