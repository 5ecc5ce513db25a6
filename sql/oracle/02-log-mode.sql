-- Prints NOARCHIVELOG or ARCHIVELOG; the user data switches modes only when needed.
SELECT log_mode FROM v$database;
