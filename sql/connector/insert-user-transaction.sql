-- Long-running job: flattens the CDC envelope into user_transaction. Casts pin the table's types
-- whatever width Oracle reports; delete events (no `after` row) and tombstones are skipped.
INSERT INTO {{table}}
SELECT
  CAST(`after`.`ID` AS BIGINT) AS `ID`,
  CAST(`after`.`AMOUNT` AS DECIMAL(12, 2)) AS `AMOUNT`,
  CAST(`after`.`RECEIVED_AT` AS BIGINT) AS `RECEIVED_AT`,
  CAST(`after`.`IP_ADDRESS` AS STRING) AS `IP_ADDRESS`,
  CAST(`after`.`ACCOUNT_ID` AS BIGINT) AS `ACCOUNT_ID`
FROM {{cdcTable}}
WHERE `after` IS NOT NULL;
