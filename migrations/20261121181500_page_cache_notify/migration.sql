-- Page-cache invalidation across app instances: a change that readers can see notifies channel
-- "curbside_pages" when its transaction commits. Thread changes name the thread and its categories; reply
-- changes name their thread; anything that shows on every page (a badge, a name, a category) says "all".

CREATE FUNCTION curbside_notify_thread() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF (TG_OP <> 'INSERT' AND OLD.status = 'APPROVED') OR (TG_OP <> 'DELETE' AND NEW.status = 'APPROVED') THEN
    PERFORM pg_notify('curbside_pages', json_build_object('t', r.id, 'c', r."categoryId",
      'oc', CASE WHEN TG_OP = 'UPDATE' THEN OLD."categoryId" ELSE NULL END)::text);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION curbside_notify_reply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF (TG_OP <> 'INSERT' AND OLD.status = 'APPROVED') OR (TG_OP <> 'DELETE' AND NEW.status = 'APPROVED') THEN
    PERFORM pg_notify('curbside_pages', json_build_object('t', r."threadId")::text);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION curbside_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('curbside_pages', '{"all":true}');
  RETURN NULL;
END $$;

CREATE TRIGGER "Thread_pages" AFTER INSERT OR UPDATE OR DELETE ON "Thread"
  FOR EACH ROW EXECUTE FUNCTION curbside_notify_thread();
CREATE TRIGGER "Reply_pages" AFTER INSERT OR UPDATE OR DELETE ON "Reply"
  FOR EACH ROW EXECUTE FUNCTION curbside_notify_reply();
CREATE TRIGGER "PhysicianProfile_pages" AFTER INSERT OR UPDATE OR DELETE ON "PhysicianProfile"
  FOR EACH STATEMENT EXECUTE FUNCTION curbside_notify_all();
CREATE TRIGGER "Category_pages" AFTER INSERT OR UPDATE OR DELETE ON "Category"
  FOR EACH STATEMENT EXECUTE FUNCTION curbside_notify_all();
CREATE TRIGGER "User_pages" AFTER UPDATE OF pseudonym, "deletedAt" ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION curbside_notify_all();
