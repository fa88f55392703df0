-- Sessions kept in memory for page views (src/auth/session-cache.ts) are dropped when PostgreSQL says their
-- person changed: a change to one of their sessions (signed out, extended), to their account (role,
-- restriction, name) or to their notifications (the unread count in the header) notifies channel
-- "curbside_pages" with {"u": the person's id} when its transaction commits. No public page shows these.
-- TG_ARGV[0] names the column that holds the person's id.

CREATE FUNCTION curbside_notify_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM pg_notify('curbside_pages', json_build_object('u', to_jsonb(r) ->> TG_ARGV[0])::text);
  RETURN NULL;
END $$;

CREATE TRIGGER "Session_viewer" AFTER UPDATE OR DELETE ON "Session"
  FOR EACH ROW EXECUTE FUNCTION curbside_notify_user('userId');
CREATE TRIGGER "User_viewer" AFTER UPDATE OR DELETE ON "User"
  FOR EACH ROW EXECUTE FUNCTION curbside_notify_user('id');
CREATE TRIGGER "Notification_viewer" AFTER INSERT OR UPDATE OR DELETE ON "Notification"
  FOR EACH ROW EXECUTE FUNCTION curbside_notify_user('userId');
