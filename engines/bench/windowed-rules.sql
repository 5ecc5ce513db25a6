-- The rules job as it was before each transaction was judged on arrival: the dev stack's statement,
-- rendered, with hopping windows of 10 minutes every 60 s. Kept only as the baseline npm run
-- bench:detection measures the current rules against; the product renders sql/processing/.
INSERT INTO `flagged_user` (
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
    w.`transaction_count` > 10 AS `too_many_count`,
    w.`total_amount` > 1000.00 AS `too_many_amount`,
    w.`max_amount` >= 1000.00 AS `too_large`,
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
      CAST(SUM(CASE WHEN (`IP_ADDRESS` IN ('1.1.1.1', '1.0.0.1', '62.210.16.6', '145.239.32.25', '195.2.240.4', '80.80.80.80', '81.169.160.101', '91.121.0.0', '114.114.114.114', '223.5.5.5', '1.12.12.12', '202.54.1.1', '110.44.116.100', '116.203.0.1', '103.224.182.207', '203.2.75.123', '203.97.78.43', '165.227.56.83', '102.130.121.2', '41.79.129.2', '186.202.6.44', '200.40.30.245')) THEN 1 ELSE 0 END) AS BIGINT) AS `blocked_ip_count`
    FROM TABLE(
      HOP((SELECT * FROM `user_transaction`), DESCRIPTOR(`EVENT_TIME`), INTERVAL '60' SECOND, INTERVAL '10' MINUTE)
    )
    GROUP BY `ACCOUNT_ID`, `window_start`, `window_end`, `window_time`
  ) AS w
) AS c
WHERE c.`too_many_count` OR c.`too_many_amount` OR c.`too_large` OR c.`too_far`
) AS c
JOIN `auth_user` AS u ON c.`account_id` = u.`ID`
