-- As the XStream administrator (it becomes the capture user): one outbound server XOUT for schema SAMPLE
-- of XEPDB1, created once; the connect user is (re)applied on every run.
CONNECT c##cfltadmin/"&&cfltadmin_pwd"@//localhost:1521/XE
DECLARE
  n       PLS_INTEGER;
  tables  DBMS_UTILITY.UNCL_ARRAY;
  schemas DBMS_UTILITY.UNCL_ARRAY;
BEGIN
  SELECT COUNT(*) INTO n FROM dba_xstream_outbound WHERE server_name = 'XOUT';
  IF n = 0 THEN
    tables(1)  := NULL;
    schemas(1) := 'SAMPLE';
    DBMS_XSTREAM_ADM.CREATE_OUTBOUND(
      server_name           => 'XOUT',
      source_container_name => 'XEPDB1',
      table_names           => tables,
      schema_names          => schemas);
  END IF;
  DBMS_XSTREAM_ADM.ALTER_OUTBOUND(server_name => 'XOUT', connect_user => 'C##CFLTUSER');
END;
/
