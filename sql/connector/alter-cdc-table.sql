-- A CDC topic as OracleXStreamSource writes it: a Debezium envelope (before/after/source/op) in Avro.
-- Flink infers such a topic as a retract table in avro-debezium-registry format; reading it as plain
-- append-only Avro exposes the raw `after` row, which the INSERT statements flatten into typed tables.
ALTER TABLE {{cdcTable}} SET (
  'changelog.mode' = 'append',
  'value.format' = 'avro-registry'
);
