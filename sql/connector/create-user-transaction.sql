-- Transactions: immutable events, so an append table (the fraud rules' OVER windows need append input); the
-- key ID spreads them over the buckets. AMOUNT is an exact DECIMAL(12,2) because the connector runs
-- with decimal.handling.mode=precise; RECEIVED_AT is epoch microseconds (Oracle TIMESTAMP).
-- The event-time column (computed from RECEIVED_AT; not stored and not in Schema Registry, so the
-- INSERT and the sinks see only the five physical columns) is the table's time attribute. Its
-- watermark trails the newest transaction of each partition by a few seconds, so a transaction's
-- window is judged as soon as later transactions arrive. The default watermark on $rowtime (the Kafka append time) needs
-- about 250 records per partition before it moves, and a replayed CDC topic would restamp every row.
-- A missing RECEIVED_AT maps to the epoch (a row the window judgements drop as late): a NULL event time
-- would fail every job that reads the table.
CREATE TABLE {{table}} (
  `ID` BIGINT NOT NULL,
  `AMOUNT` DECIMAL(12, 2),
  `RECEIVED_AT` BIGINT,
  `IP_ADDRESS` STRING,
  `ACCOUNT_ID` BIGINT,
  {{eventTime}} AS TO_TIMESTAMP_LTZ(COALESCE(`RECEIVED_AT`, 0) / 1000, 3),
  WATERMARK FOR {{eventTime}} AS {{eventTime}} - {{watermarkDelay}},
  PRIMARY KEY (`ID`) NOT ENFORCED
)
DISTRIBUTED BY HASH(`ID`) INTO {{buckets}} BUCKETS
WITH (
  'changelog.mode' = 'append',
  'kafka.cleanup-policy' = 'delete',
  'key.format' = 'avro-registry',
  'value.format' = 'avro-registry',
  'value.fields-include' = 'all'
);
