-- XStream tablespaces in the CDB root and in XEPDB1: the common users' default tablespaces must exist in
-- every container they are created in.
DECLARE
  PROCEDURE ensure_tablespace(p_name VARCHAR2, p_file VARCHAR2) IS
    n PLS_INTEGER;
  BEGIN
    SELECT COUNT(*) INTO n FROM dba_tablespaces WHERE tablespace_name = p_name;
    IF n = 0 THEN
      EXECUTE IMMEDIATE 'CREATE TABLESPACE ' || p_name || ' DATAFILE ''' || p_file ||
        ''' SIZE 25M REUSE AUTOEXTEND ON MAXSIZE UNLIMITED';
    END IF;
  END;
BEGIN
  ensure_tablespace('XSTREAM_ADM_TBS', '/opt/oracle/oradata/XE/xstream_adm_tbs.dbf');
  ensure_tablespace('XSTREAM_TBS', '/opt/oracle/oradata/XE/xstream_tbs.dbf');
END;
/
ALTER SESSION SET CONTAINER = XEPDB1;
DECLARE
  PROCEDURE ensure_tablespace(p_name VARCHAR2, p_file VARCHAR2) IS
    n PLS_INTEGER;
  BEGIN
    SELECT COUNT(*) INTO n FROM dba_tablespaces WHERE tablespace_name = p_name;
    IF n = 0 THEN
      EXECUTE IMMEDIATE 'CREATE TABLESPACE ' || p_name || ' DATAFILE ''' || p_file ||
        ''' SIZE 25M REUSE AUTOEXTEND ON MAXSIZE UNLIMITED';
    END IF;
  END;
BEGIN
  ensure_tablespace('XSTREAM_ADM_TBS', '/opt/oracle/oradata/XE/XEPDB1/xstream_adm_tbs.dbf');
  ensure_tablespace('XSTREAM_TBS', '/opt/oracle/oradata/XE/XEPDB1/xstream_tbs.dbf');
END;
/
