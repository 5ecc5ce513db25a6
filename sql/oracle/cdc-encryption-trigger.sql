-- The server only requests encryption (the web app's driver cannot do it); the CDC user must have it.
-- A logon trigger acts in its own container only: the setup runs this file in the root and in XEPDB1.
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
