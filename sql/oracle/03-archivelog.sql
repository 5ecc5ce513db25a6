-- Run only while the database is in NOARCHIVELOG mode (the switch needs a restart into MOUNT).
SHUTDOWN IMMEDIATE
STARTUP MOUNT
ALTER DATABASE ARCHIVELOG;
ALTER DATABASE OPEN;
