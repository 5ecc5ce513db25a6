-- XStream needs the PDB open read-write; saving the state reopens it after every restart.
BEGIN
  FOR p IN (SELECT name FROM v$pdbs WHERE name = 'XEPDB1' AND open_mode <> 'READ WRITE') LOOP
    EXECUTE IMMEDIATE 'ALTER PLUGGABLE DATABASE ' || p.name || ' OPEN READ WRITE';
  END LOOP;
  EXECUTE IMMEDIATE 'ALTER PLUGGABLE DATABASE XEPDB1 SAVE STATE';
END;
/
