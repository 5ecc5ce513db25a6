-- Analysis views live in their own schema, apart from the tables the Redshift sink creates in public.
CREATE SCHEMA IF NOT EXISTS fraud;
