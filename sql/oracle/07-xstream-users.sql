-- Common users in the CDB root: the XStream (capture) administrator and the connect user the connector
-- logs in as. Passwords arrive as SQL*Plus substitution variables defined from Secrets Manager at boot;
-- an existing user gets the current password, so a re-run after a rotation keeps database and secret in step.
-- Service accounts must not expire: the DEFAULT profile ends a password after 180 days, which would stop
-- the CDC connector and the web app half a year after deployment. These passwords are rotated by
-- re-deploying (Secrets Manager, then this script), never by expiry.
DECLARE
  n PLS_INTEGER;
BEGIN
  SELECT COUNT(*) INTO n FROM dba_profiles WHERE profile = 'C##FRAUD_SERVICE';
  IF n = 0 THEN
    EXECUTE IMMEDIATE 'CREATE PROFILE c##fraud_service LIMIT PASSWORD_LIFE_TIME UNLIMITED CONTAINER = ALL';
  END IF;
END;
/
DECLARE
  n PLS_INTEGER;
BEGIN
  SELECT COUNT(*) INTO n FROM dba_users WHERE username = 'C##CFLTADMIN';
  IF n = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER c##cfltadmin IDENTIFIED BY "&&cfltadmin_pwd"'
      || ' DEFAULT TABLESPACE xstream_adm_tbs QUOTA UNLIMITED ON xstream_adm_tbs CONTAINER = ALL';
  ELSE
    EXECUTE IMMEDIATE 'ALTER USER c##cfltadmin IDENTIFIED BY "&&cfltadmin_pwd" CONTAINER = ALL';
  END IF;
  SELECT COUNT(*) INTO n FROM dba_users WHERE username = 'C##CFLTUSER';
  IF n = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER c##cfltuser IDENTIFIED BY "&&cfltuser_pwd"'
      || ' DEFAULT TABLESPACE xstream_tbs QUOTA UNLIMITED ON xstream_tbs CONTAINER = ALL';
  ELSE
    EXECUTE IMMEDIATE 'ALTER USER c##cfltuser IDENTIFIED BY "&&cfltuser_pwd" CONTAINER = ALL';
  END IF;
END;
/
ALTER USER c##cfltadmin PROFILE c##fraud_service CONTAINER = ALL;
ALTER USER c##cfltuser PROFILE c##fraud_service CONTAINER = ALL;
GRANT CREATE SESSION, SET CONTAINER TO c##cfltadmin CONTAINER = ALL;
BEGIN
  DBMS_XSTREAM_AUTH.GRANT_ADMIN_PRIVILEGE(
    grantee                 => 'C##CFLTADMIN',
    privilege_type          => 'CAPTURE',
    grant_select_privileges => TRUE,
    container               => 'ALL');
END;
/
-- The connect user: only what Confluent's XStream prerequisites list (docs/oracle-host.md), wider grants revoked.
GRANT CREATE SESSION, SET CONTAINER TO c##cfltuser CONTAINER = ALL;
BEGIN
  FOR p IN (SELECT privilege FROM dba_sys_privs WHERE grantee = 'C##CFLTUSER' AND privilege LIKE '% ANY TABLE') LOOP
    EXECUTE IMMEDIATE 'REVOKE ' || p.privilege || ' FROM c##cfltuser CONTAINER = ALL';
  END LOOP;
  FOR r IN (SELECT 1 FROM dba_role_privs WHERE grantee = 'C##CFLTUSER' AND granted_role = 'SELECT_CATALOG_ROLE') LOOP
    EXECUTE IMMEDIATE 'REVOKE SELECT_CATALOG_ROLE FROM c##cfltuser CONTAINER = ALL';
  END LOOP;
END;
/
-- The server only requests encryption (the web app's driver cannot do it); the CDC user must have it.
CREATE OR REPLACE TRIGGER fraud_cdc_encrypted AFTER LOGON ON DATABASE
DECLARE
  n PLS_INTEGER;
BEGIN
  IF SYS_CONTEXT('USERENV', 'SESSION_USER') = 'C##CFLTUSER' THEN
    SELECT COUNT(*) INTO n FROM v$session_connect_info WHERE sid = SYS_CONTEXT('USERENV', 'SID')
      AND (network_service_banner LIKE '%Encryption service adapter%'
        OR network_service_banner LIKE '%Crypto-checksumming service adapter%');
    IF n < 2 THEN
      RAISE_APPLICATION_ERROR(-20001, 'native network encryption required');
    END IF;
  END IF;
END;
/
ALTER SESSION SET CONTAINER = XEPDB1;
GRANT SELECT_CATALOG_ROLE TO c##cfltuser;
CREATE OR REPLACE TRIGGER fraud_cdc_encrypted AFTER LOGON ON DATABASE
DECLARE
  n PLS_INTEGER;
BEGIN
  IF SYS_CONTEXT('USERENV', 'SESSION_USER') = 'C##CFLTUSER' THEN
    SELECT COUNT(*) INTO n FROM v$session_connect_info WHERE sid = SYS_CONTEXT('USERENV', 'SID')
      AND (network_service_banner LIKE '%Encryption service adapter%'
        OR network_service_banner LIKE '%Crypto-checksumming service adapter%');
    IF n < 2 THEN
      RAISE_APPLICATION_ERROR(-20001, 'native network encryption required');
    END IF;
  END IF;
END;
/
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
