-- The fraud rules proper, shared by the rules job and the alerts job so that both judge a
-- transaction by the very same checks, over either input (at the judged marker: trailing_window.sql or
-- single_transaction.sql). The four rules are named boolean columns; a transaction that breaks at
-- least one is kept, with `reasons` listing every rule it broke, comma-separated, in a fixed order.
SELECT
  f.*,
  CONCAT_WS(
    ',',
    CASE WHEN f.`too_many_count` THEN 'too_many_count' END,
    CASE WHEN f.`too_many_amount` THEN 'too_many_amount' END,
    CASE WHEN f.`too_large` THEN 'too_large' END,
    CASE WHEN f.`too_far` THEN 'too_far' END
  ) AS `reasons`
FROM (
  SELECT
    h.*,
    h.`transaction_count` > {{maxWindowCount}} AS `too_many_count`,
    h.`total_amount` > {{maxWindowAmount}} AS `too_many_amount`,
    h.`amount` >= {{singleTransactionLimit}} AS `too_large`,
    h.`blocked` = 1 AS `too_far`
  FROM (
    /*@judged*/
  ) AS h
) AS f
WHERE f.`too_many_count` OR f.`too_many_amount` OR f.`too_large` OR f.`too_far`
