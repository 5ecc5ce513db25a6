SELECT ROUND(100 * space_used / space_limit) FROM v$recovery_file_dest;
