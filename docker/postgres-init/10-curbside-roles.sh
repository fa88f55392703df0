#!/bin/sh
# Runs once, as the postgres superuser, when the postgres image creates its data directory
# (/docker-entrypoint-initdb.d). Curbside then connects as `curbside`, which is not a superuser:
#   - curbside LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE: creates and owns the app's tables (migrations run at
#     start), but neither owns the database nor the public schema, so it cannot drop tables it does not own;
#   - curbside_audit NOLOGIN: will own ModerationLog and its trigger function once curbside_seal_audit_log()
#     has run (the app calls it after each migration run), leaving curbside only SELECT and INSERT there.
#     An owner can DISABLE its triggers and TRUNCATE; curbside is then neither.
set -eu
: "${CURBSIDE_DB_PASSWORD:?set CURBSIDE_DB_PASSWORD (the app role's password)}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$CURBSIDE_DB_PASSWORD" <<'SQL'
CREATE ROLE curbside LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'app_password';
CREATE ROLE curbside_audit NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
-- CREATE: the first migration says CREATE SCHEMA IF NOT EXISTS "public", which asks for it even when public exists.
GRANT CONNECT, TEMPORARY, CREATE ON DATABASE :"DBNAME" TO curbside;
GRANT USAGE, CREATE ON SCHEMA public TO curbside;

-- Hands ModerationLog and its trigger function to curbside_audit. SECURITY DEFINER: it runs as its owner,
-- this superuser, so curbside can call it without ever being able to act as curbside_audit itself.
CREATE FUNCTION public.curbside_seal_audit_log() RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
BEGIN
  IF to_regclass('public."ModerationLog"') IS NULL THEN
    RETURN 'no ModerationLog table yet';
  END IF;
  ALTER TABLE public."ModerationLog" OWNER TO curbside_audit;
  ALTER FUNCTION public.curbside_refuse_audit_change() OWNER TO curbside_audit;
  REVOKE ALL ON public."ModerationLog" FROM curbside;
  GRANT SELECT, INSERT, REFERENCES ON public."ModerationLog" TO curbside;
  GRANT USAGE, SELECT ON SEQUENCE public."ModerationLog_id_seq" TO curbside;
  RETURN 'sealed';
END
$fn$;
REVOKE ALL ON FUNCTION public.curbside_seal_audit_log() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.curbside_seal_audit_log() TO curbside;
SQL
