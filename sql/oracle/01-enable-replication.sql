-- CDB root, as SYSDBA. Both settings are idempotent. streams_pool_size is the floor XStream capture gets
-- inside XE's 2 GB memory cap; it takes effect at the restart of the ARCHIVELOG step (spfile only, so a
-- running instance is never asked for memory it may not have).
ALTER SYSTEM SET enable_goldengate_replication = TRUE SCOPE = BOTH;
ALTER SYSTEM SET streams_pool_size = 256M SCOPE = SPFILE;
