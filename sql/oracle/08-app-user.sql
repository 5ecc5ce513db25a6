-- The web app's schema owner in XEPDB1: it creates and writes the tables XStream captures (SAMPLE.*).
ALTER SESSION SET CONTAINER = XEPDB1;
DECLARE
  n PLS_INTEGER;
BEGIN
  SELECT COUNT(*) INTO n FROM dba_users WHERE username = 'SAMPLE';
  IF n = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER sample IDENTIFIED BY "&&sample_pwd" QUOTA UNLIMITED ON users';
  ELSE
    EXECUTE IMMEDIATE 'ALTER USER sample IDENTIFIED BY "&&sample_pwd"';
  END IF;
END;
/
-- The common profile from 07-xstream-users.sql: the web app's password must not expire either.
ALTER USER sample PROFILE c##fraud_service;
GRANT CREATE SESSION, CREATE TABLE, CREATE SEQUENCE, CREATE TRIGGER, CREATE VIEW, CREATE PROCEDURE TO sample;
