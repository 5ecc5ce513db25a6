-- Long-running job: flattens the CDC envelope into auth_user. Casts pin the table's types whatever
-- width Oracle reports; delete events (no `after` row) and tombstones are skipped.
INSERT INTO {{table}}
SELECT
  CAST(`after`.`ID` AS BIGINT) AS `ID`,
  CAST(`after`.`LAST_LOGIN` AS BIGINT) AS `LAST_LOGIN`,
  `after`.`IS_SUPERUSER` = 1 AS `IS_SUPERUSER`,
  CAST(`after`.`USERNAME` AS STRING) AS `USERNAME`,
  CAST(`after`.`FIRST_NAME` AS STRING) AS `FIRST_NAME`,
  CAST(`after`.`LAST_NAME` AS STRING) AS `LAST_NAME`,
  CAST(`after`.`EMAIL` AS STRING) AS `EMAIL`,
  `after`.`IS_STAFF` = 1 AS `IS_STAFF`,
  `after`.`IS_ACTIVE` = 1 AS `IS_ACTIVE`,
  CAST(`after`.`DATE_JOINED` AS BIGINT) AS `DATE_JOINED`
FROM {{cdcTable}}
WHERE `after` IS NOT NULL;
