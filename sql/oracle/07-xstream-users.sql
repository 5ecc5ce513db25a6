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
