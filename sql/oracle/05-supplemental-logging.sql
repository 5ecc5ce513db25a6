-- Database-level supplemental logging of all columns, from the CDB root (covers every PDB).
-- Adding it twice fails with ORA-32588, hence the guard.
DECLARE
  v_all VARCHAR2(3);
BEGIN
  SELECT supplemental_log_data_all INTO v_all FROM v$database;
  IF v_all <> 'YES' THEN
    EXECUTE IMMEDIATE 'ALTER DATABASE ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS';
  END IF;
END;
/
