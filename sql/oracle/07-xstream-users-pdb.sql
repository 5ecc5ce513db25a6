-- In XEPDB1, where the captured tables live: the catalog role for their metadata, granted here only.
ALTER SESSION SET CONTAINER = XEPDB1;
GRANT SELECT_CATALOG_ROLE TO c##cfltuser;
-- The web app creates the captured tables after this script: a job of SYS grants on them once they exist.
DECLARE
  n PLS_INTEGER;
BEGIN
  SELECT COUNT(*) INTO n FROM dba_scheduler_jobs WHERE owner = 'SYS' AND job_name = 'FRAUD_CDC_GRANTS';
  IF n > 0 THEN
    DBMS_SCHEDULER.DROP_JOB('fraud_cdc_grants', TRUE);
  END IF;
  DBMS_SCHEDULER.CREATE_JOB(
    job_name        => 'fraud_cdc_grants',
    job_type        => 'PLSQL_BLOCK',
    job_action      => q'[BEGIN
  FOR t IN (SELECT table_name FROM dba_tables WHERE owner = 'SAMPLE' AND table_name IN ('AUTH_USER', 'USER_TRANSACTION')
    AND table_name NOT IN (SELECT table_name FROM dba_tab_privs WHERE grantee = 'C##CFLTUSER' AND privilege = 'FLASHBACK')) LOOP
    EXECUTE IMMEDIATE 'GRANT SELECT, FLASHBACK ON sample.' || t.table_name || ' TO c##cfltuser';
  END LOOP;
END;]',
    repeat_interval => 'FREQ=MINUTELY',
    enabled         => TRUE);
END;
/
