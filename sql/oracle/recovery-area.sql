-- The recovery area on the data volume; its limit (fra_gib GiB) must come first.
SHOW PARAMETER db_recovery_file_dest
ALTER SYSTEM SET db_recovery_file_dest_size = &fra_gib.G SCOPE = BOTH;
ALTER SYSTEM SET db_recovery_file_dest = '/opt/oracle/oradata/fast_recovery_area' SCOPE = BOTH;
