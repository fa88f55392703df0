-- More tables whose rows show on cached pages send the page-cache change notice (see 20261121181500):
-- a post's versions (an article's public history; a redaction erases earlier versions' text), and the
-- physicians' agreements and patients' helpful marks shown with an answer. Each names the post's thread.
-- An author's edit awaiting review shows on no public page, so its insertion alone says nothing.

CREATE FUNCTION curbside_notify_post_of() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
  thread_id integer;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  -- Nested: PL/pgSQL may evaluate every operand of an AND, and only PostRevision has a status.
  IF TG_TABLE_NAME = 'PostRevision' AND TG_OP = 'INSERT' THEN
    IF to_jsonb(r) ->> 'status' = 'PENDING' THEN
      RETURN NULL;
    END IF;
  END IF;
  thread_id := CASE WHEN TG_TABLE_NAME = 'PostRevision' THEN (to_jsonb(r) ->> 'threadId')::integer END;
  IF thread_id IS NULL THEN
    SELECT "threadId" INTO thread_id FROM "Reply" WHERE id = (to_jsonb(r) ->> 'replyId')::integer;
  END IF;
  IF thread_id IS NOT NULL THEN
    PERFORM pg_notify('curbside_pages', json_build_object('t', thread_id)::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "PostRevision_pages" AFTER INSERT OR UPDATE OR DELETE ON "PostRevision"
  FOR EACH ROW EXECUTE FUNCTION curbside_notify_post_of();
CREATE TRIGGER "Agreement_pages" AFTER INSERT OR UPDATE OR DELETE ON "Agreement"
  FOR EACH ROW EXECUTE FUNCTION curbside_notify_post_of();
CREATE TRIGGER "HelpfulMark_pages" AFTER INSERT OR UPDATE OR DELETE ON "HelpfulMark"
  FOR EACH ROW EXECUTE FUNCTION curbside_notify_post_of();
