-- CDB root, as SYSDBA. The container was created with a bootstrap password (ORACLE_PWD) that
-- `docker inspect` shows for the container's whole life, and the XE setup gives it to SYS, SYSTEM and
-- PDBADMIN. SYS and SYSTEM get a password the container never saw (the image's own setPassword.sh
-- changes them the same way); re-running sets the same value again.
ALTER USER SYS IDENTIFIED BY "&&sys_pwd";
ALTER USER SYSTEM IDENTIFIED BY "&&sys_pwd";
-- Every other account that can log in with a password is locked, except this setup's own users
-- (XStream admin and connect user, the web app's schema): PDBADMIN, still on the bootstrap password,
-- DBSNMP, which installations leave open, and whatever else an image version adds. Oracle-maintained
-- schema-only accounts (no password) cannot log in and are left alone.
BEGIN
  FOR u IN (SELECT username FROM dba_users
            WHERE authentication_type = 'PASSWORD' AND account_status NOT LIKE '%LOCKED%'
              AND username NOT IN ('SYS', 'SYSTEM', 'C##CFLTADMIN', 'C##CFLTUSER')) LOOP
    EXECUTE IMMEDIATE 'ALTER USER "' || u.username || '" ACCOUNT LOCK CONTAINER = ALL';
  END LOOP;
END;
/
ALTER SESSION SET CONTAINER = XEPDB1;
BEGIN
  FOR u IN (SELECT username FROM dba_users
            WHERE common = 'NO' AND authentication_type = 'PASSWORD' AND account_status NOT LIKE '%LOCKED%'
              AND username <> 'SAMPLE') LOOP
    EXECUTE IMMEDIATE 'ALTER USER "' || u.username || '" ACCOUNT LOCK';
  END LOOP;
END;
/
