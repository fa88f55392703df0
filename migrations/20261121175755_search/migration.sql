-- AlterTable
ALTER TABLE "Reply" ADD COLUMN     "searchVector" tsvector;

-- AlterTable
ALTER TABLE "Thread" ADD COLUMN     "searchVector" tsvector;

-- CreateIndex
CREATE INDEX "Reply_searchVector_idx" ON "Reply" USING GIN ("searchVector");

-- CreateIndex
CREATE INDEX "Thread_searchVector_idx" ON "Thread" USING GIN ("searchVector");

-- Search documents, kept up to date by triggers. Slashes and underscores become spaces first, so that
-- "IVF/ICSI" is two words rather than one file-path token, and abbreviations stay findable.
CREATE FUNCTION curbside_search_text(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT regexp_replace(coalesce(t, ''), '[/_]+', ' ', 'g') $$;

CREATE FUNCTION curbside_thread_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchVector" :=
    setweight(to_tsvector('english', curbside_search_text(NEW.title)), 'A') ||
    setweight(to_tsvector('english', curbside_search_text(NEW.body)), 'B');
  RETURN NEW;
END $$;

CREATE FUNCTION curbside_reply_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchVector" := setweight(to_tsvector('english', curbside_search_text(NEW.body)), 'C');
  RETURN NEW;
END $$;

CREATE TRIGGER "Thread_search" BEFORE INSERT OR UPDATE OF title, body ON "Thread"
  FOR EACH ROW EXECUTE FUNCTION curbside_thread_search();
CREATE TRIGGER "Reply_search" BEFORE INSERT OR UPDATE OF body ON "Reply"
  FOR EACH ROW EXECUTE FUNCTION curbside_reply_search();

UPDATE "Thread" SET title = title;
UPDATE "Reply" SET body = body;
