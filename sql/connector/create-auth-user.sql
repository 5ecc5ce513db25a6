-- Users, latest row per ID (upsert on the primary key, compacted topic).
-- Types follow the connector's Avro: Oracle NUMBER(p,0) ids are 64-bit integers; TIMESTAMP columns
-- arrive as epoch microseconds (time.precision.mode=adaptive); Django's NUMBER(1) flags become BOOLEAN.
-- The password hash is excluded at the source (column.exclude.list) and never reaches Kafka.
CREATE TABLE {{table}} (
  `ID` BIGINT NOT NULL,
  `LAST_LOGIN` BIGINT,
  `IS_SUPERUSER` BOOLEAN,
  `USERNAME` STRING,
  `FIRST_NAME` STRING,
  `LAST_NAME` STRING,
  `EMAIL` STRING,
  `IS_STAFF` BOOLEAN,
  `IS_ACTIVE` BOOLEAN,
  `DATE_JOINED` BIGINT,
  PRIMARY KEY (`ID`) NOT ENFORCED
)
DISTRIBUTED BY HASH(`ID`) INTO {{buckets}} BUCKETS
WITH (
  'changelog.mode' = 'upsert',
  'kafka.cleanup-policy' = 'compact',
  'key.format' = 'avro-registry',
  'value.format' = 'avro-registry',
  'value.fields-include' = 'all'
);
