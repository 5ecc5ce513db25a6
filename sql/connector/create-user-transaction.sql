-- Transactions: immutable events, so an append table (windowed fraud rules need append input); the
-- key ID spreads them over the buckets. AMOUNT is an exact DECIMAL(12,2) because the connector runs
-- with decimal.handling.mode=precise; RECEIVED_AT is epoch microseconds (Oracle TIMESTAMP).
CREATE TABLE {{table}} (
  `ID` BIGINT NOT NULL,
  `AMOUNT` DECIMAL(12, 2),
  `RECEIVED_AT` BIGINT,
  `IP_ADDRESS` STRING,
  `ACCOUNT_ID` BIGINT,
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
