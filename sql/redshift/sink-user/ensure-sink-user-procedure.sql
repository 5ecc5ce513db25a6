-- Creates the Redshift sink's own user, or updates it when it exists (Redshift has no
-- CREATE USER IF NOT EXISTS), and gives it only what the sink needs: USAGE and CREATE on schema public,
-- where auto.create makes the tables named after its topics, and ownership of those tables when an
-- earlier sink (logged in as the admin user) created them. No other schema, table or role.
-- PASSWORD DISABLE: the user has no password at all and logs in only with temporary IAM credentials
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_USER.html), so no statement carries one.
CREATE OR REPLACE PROCEDURE fraud.ensure_sink_user(user_name VARCHAR(128))
AS $$
DECLARE
  t RECORD;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_user WHERE usename = user_name) THEN
    EXECUTE 'ALTER USER ' || quote_ident(user_name) || ' PASSWORD DISABLE';
  ELSE
    EXECUTE 'CREATE USER ' || quote_ident(user_name) || ' PASSWORD DISABLE';
  END IF;
  EXECUTE 'GRANT USAGE, CREATE ON SCHEMA public TO ' || quote_ident(user_name);
  FOR t IN
    SELECT tablename FROM pg_tables
    WHERE schemaname = 'public' AND tablename IN ({{usersTable}}, {{transactionsTable}})
  LOOP
    EXECUTE 'ALTER TABLE public.' || quote_ident(t.tablename) || ' OWNER TO ' || quote_ident(user_name);
  END LOOP;
END;
$$ LANGUAGE plpgsql;
