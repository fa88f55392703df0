-- Trigram matching for "Did you mean". pg_trgm is a trusted extension (PostgreSQL 13+): a role with CREATE on
-- the database may create it, which the compose deployment's non-superuser `curbside` has (docker/postgres-init).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- DropIndex
DROP INDEX "Thread_status_lastActivityAt_idx";

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "replyId" INTEGER,
ADD COLUMN     "threadId" INTEGER,
ADD COLUMN     "titledMessage" TEXT;

-- CreateTable
CREATE TABLE "SearchWord" (
    "word" TEXT NOT NULL,
    "docs" INTEGER NOT NULL,

    CONSTRAINT "SearchWord_pkey" PRIMARY KEY ("word")
);

-- CreateIndex
CREATE INDEX "SearchWord_word_idx" ON "SearchWord" USING GIN ("word" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Thread_status_lastActivityAt_id_idx" ON "Thread"("status", "lastActivityAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Thread_categoryId_status_createdAt_id_idx" ON "Thread"("categoryId", "status", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Thread_status_createdAt_id_idx" ON "Thread"("status", "createdAt" DESC, "id" DESC);

-- The words of a text as "Did you mean" may offer them: unstemmed ('simple'), lower-case, letters only, 3 to 40
-- long, sorted (so that every transaction locks SearchWord rows in the same order).
CREATE FUNCTION curbside_words(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(w.lexeme ORDER BY w.lexeme), '{}')
      FROM unnest(to_tsvector('simple'::regconfig, curbside_search_text(t))) w
     WHERE w.lexeme ~ '^[[:alpha:]]{3,40}$'
  $$;

-- Adds (delta 1) or takes away (delta -1) one public post's words; a word no public post holds any more goes.
CREATE FUNCTION curbside_count_words(words text[], delta int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(words) = 0 THEN RETURN; END IF;
  INSERT INTO "SearchWord" (word, docs) SELECT w, delta FROM unnest(words) w ORDER BY w
    ON CONFLICT (word) DO UPDATE SET docs = "SearchWord".docs + EXCLUDED.docs;
  IF delta < 0 THEN DELETE FROM "SearchWord" WHERE word = ANY (words) AND docs <= 0; END IF;
END $$;

-- A thread's words count while it is public (approved, not withdrawn), and so do its approved replies'.
CREATE FUNCTION curbside_thread_words() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was boolean := false;
  is_now boolean := false;
  r record;
BEGIN
  IF TG_OP <> 'INSERT' THEN was := OLD.status = 'APPROVED' AND OLD."withdrawnAt" IS NULL; END IF;
  IF TG_OP <> 'DELETE' THEN is_now := NEW.status = 'APPROVED' AND NEW."withdrawnAt" IS NULL; END IF;
  IF TG_OP = 'UPDATE' AND was = is_now AND OLD.title = NEW.title AND OLD.body = NEW.body THEN RETURN NULL; END IF;
  IF was THEN PERFORM curbside_count_words(curbside_words(OLD.title || ' ' || OLD.body), -1); END IF;
  IF is_now THEN PERFORM curbside_count_words(curbside_words(NEW.title || ' ' || NEW.body), 1); END IF;
  IF TG_OP = 'UPDATE' AND was <> is_now THEN
    FOR r IN SELECT body FROM "Reply" WHERE "threadId" = NEW.id AND status = 'APPROVED' ORDER BY id LOOP
      PERFORM curbside_count_words(curbside_words(r.body), CASE WHEN is_now THEN 1 ELSE -1 END);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

-- A reply's words count while it is approved and its thread is public. FOR SHARE waits for a concurrent change
-- to the thread's status and reads its outcome, so a thread and a reply decided at once are counted once.
CREATE FUNCTION curbside_reply_words() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  thread_id int;
  thread_public boolean;
  was boolean := false;
  is_now boolean := false;
BEGIN
  IF TG_OP = 'DELETE' THEN thread_id := OLD."threadId"; ELSE thread_id := NEW."threadId"; END IF;
  SELECT t.status = 'APPROVED' AND t."withdrawnAt" IS NULL INTO thread_public FROM "Thread" t WHERE t.id = thread_id FOR SHARE;
  IF NOT coalesce(thread_public, false) THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN was := OLD.status = 'APPROVED'; END IF;
  IF TG_OP <> 'DELETE' THEN is_now := NEW.status = 'APPROVED'; END IF;
  IF TG_OP = 'UPDATE' AND was = is_now AND OLD.body = NEW.body THEN RETURN NULL; END IF;
  IF was THEN PERFORM curbside_count_words(curbside_words(OLD.body), -1); END IF;
  IF is_now THEN PERFORM curbside_count_words(curbside_words(NEW.body), 1); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Thread_words" AFTER INSERT OR DELETE OR UPDATE OF status, "withdrawnAt", title, body ON "Thread"
  FOR EACH ROW EXECUTE FUNCTION curbside_thread_words();
CREATE TRIGGER "Reply_words" AFTER INSERT OR DELETE OR UPDATE OF status, body ON "Reply"
  FOR EACH ROW EXECUTE FUNCTION curbside_reply_words();

-- Every public post's words from scratch: for this migration, and for bulk loads made with the triggers off.
CREATE FUNCTION curbside_rebuild_search_words() RETURNS void LANGUAGE sql AS $$
  DELETE FROM "SearchWord";
  INSERT INTO "SearchWord" (word, docs)
  SELECT w, count(*)::int FROM (
    SELECT unnest(curbside_words(t.title || ' ' || t.body)) AS w FROM "Thread" t
     WHERE t.status = 'APPROVED' AND t."withdrawnAt" IS NULL
    UNION ALL
    SELECT unnest(curbside_words(r.body)) FROM "Reply" r JOIN "Thread" t ON t.id = r."threadId"
     WHERE r.status = 'APPROVED' AND t.status = 'APPROVED' AND t."withdrawnAt" IS NULL
  ) words GROUP BY w;
$$;

SELECT curbside_rebuild_search_words();
