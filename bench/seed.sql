-- The benchmark's dataset, made by PostgreSQL itself in seconds: 2,000 users (1 moderator, 50 verified
-- physicians, the rest patients), 10,000 approved threads with about 20 replies each (200,000 in all, a third
-- of them nested), one thread of 1,000 replies (thread 1), and a moderation queue of 1,000 pending items (600
-- questions, 400 replies) with 200 open reports.
-- :password_hash is set by the runner. Page-cache triggers are off while seeding (nobody is listening yet).
ALTER TABLE "Thread" DISABLE TRIGGER "Thread_pages";
ALTER TABLE "Reply" DISABLE TRIGGER "Reply_pages";
-- "Did you mean" words are counted once at the end rather than row by row.
ALTER TABLE "Thread" DISABLE TRIGGER "Thread_words";
ALTER TABLE "Reply" DISABLE TRIGGER "Reply_words";

CREATE TEMP TABLE vocab(i serial, w text);
INSERT INTO vocab(w) SELECT unnest(string_to_array(
  'miscarriage loss pregnancy embryo transfer implantation failure IVF ICSI NK cells natural killer HLA matching APS ' ||
  'antiphospholipid syndrome heparin aspirin progesterone prednisolone IVIG intralipid thyroid TSH antibodies lupus ' ||
  'karyotype chromosomes PGT-A biopsy endometrium receptivity scratch hysteroscopy uterus septum fibroid polyp ' ||
  'clotting thrombophilia factor leiden MTHFR homocysteine vitamin folate metformin PCOS insulin ovulation cycle ' ||
  'stimulation retrieval blastocyst frozen fresh beta hCG scan heartbeat bleeding spotting cramps pain support ' ||
  'grief waiting anxiety partner doctor clinic protocol test result levels high low normal weeks days months after ' ||
  'before during again second third fourth question answer advice experience treatment option risk chance success', ' '));

-- Realistic text: mostly everyday words from a large pool, with the medical vocabulary sprinkled in, so
-- that a search term matches a few percent of posts, as on a real forum, not half of them.
CREATE TEMP TABLE pool(i serial, w text);
INSERT INTO pool(w)
SELECT CASE WHEN g % 10 = 0 THEN (SELECT w FROM vocab WHERE i = 1 + (g / 10) % (SELECT count(*) FROM vocab))
            ELSE substr(md5(g::text), 1, 3 + g % 6) END
FROM generate_series(1, 6000) g;

-- 3,000 texts, made once and reused: rows pick one by number.
CREATE TEMP TABLE texts AS
SELECT k, string_agg(p.w, ' ' ORDER BY j) AS body
FROM generate_series(0, 2999) k
CROSS JOIN LATERAL generate_series(1, 45) j
JOIN pool p ON p.i = 1 + ((k::bigint * 7919 + j::bigint * 104729) % 6000)::int
GROUP BY k;
CREATE INDEX ON texts(k);

CREATE FUNCTION pg_temp.words(n int, seed int) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT array_to_string((string_to_array(body, ' '))[1:n], ' ') FROM texts WHERE k = seed % 3000
$$;

INSERT INTO "User"(id, email, "passwordHash", pseudonym, "pseudonymKey", role, "createdAt")
SELECT gen_random_uuid(), 'bench' || g || '@example.test', :'password_hash', 'Bench member ' || g, 'bench member ' || g,
  (CASE WHEN g = 1 THEN 'MODERATOR' WHEN g <= 51 THEN 'PHYSICIAN' ELSE 'PATIENT' END)::"Role", now() - interval '200 days'
FROM generate_series(1, 2000) g;

CREATE TEMP TABLE bench_users AS
SELECT id, role, row_number() OVER (PARTITION BY role ORDER BY email) AS n FROM "User" WHERE email LIKE 'bench%@example.test';

INSERT INTO "PhysicianProfile"("userId", handle, "fullName", credentials, specialty, "licenseNumber", jurisdiction, status, "verifiedAt", "updatedAt", "categoryIds")
SELECT id, 'bench-physician-' || n, 'Bench Physician ' || n, 'MD', 'Reproductive immunology', 'BENCH-' || n, 'Benchland', 'VERIFIED', now() - interval '100 days', now(),
  ARRAY[(SELECT id FROM "Category" ORDER BY position LIMIT 1)]
FROM bench_users WHERE role = 'PHYSICIAN';

CREATE TEMP TABLE patients AS SELECT id, n FROM bench_users WHERE role = 'PATIENT';
CREATE TEMP TABLE physicians AS SELECT id, n FROM bench_users WHERE role = 'PHYSICIAN';
CREATE TEMP TABLE cats AS SELECT id, row_number() OVER (ORDER BY position) - 1 AS k FROM "Category";

INSERT INTO "Thread"(kind, title, body, "categoryId", "authorId", status, "createdAt", "updatedAt", "approvedAt", "lastActivityAt")
SELECT 'QUESTION', initcap(pg_temp.words(8, g)), pg_temp.words(80, g + 1),
  (SELECT id FROM cats WHERE k = g % (SELECT count(*) FROM cats)),
  (SELECT id FROM patients WHERE n = 1 + g % 1949),
  'APPROVED', now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, now()
FROM generate_series(1, 10000) g;

-- Thread 1 (the oldest id) gets 1,000 replies; every other thread 20 (19 for every tenth): 200,000 in all.
-- Ids, parents, roots and paths are computed before inserting, so every row is written once: every third
-- reply answers the one before it (depth 1).
CREATE TEMP TABLE plan AS
SELECT t.id AS "threadId", r,
  (SELECT coalesce(max(id), 0) FROM "Reply") + row_number() OVER (ORDER BY t.id, r) AS id
FROM "Thread" t, generate_series(1, 1000) r
WHERE r <= CASE WHEN t.id = (SELECT min(id) FROM "Thread") THEN 1000 WHEN t.id % 10 = 0 THEN 19 ELSE 20 END;

INSERT INTO "Reply"(id, "threadId", "parentId", "rootId", depth, path, "authorId", body, status, "createdAt", "updatedAt", "approvedAt")
SELECT p.id, p."threadId",
  CASE WHEN p.r % 3 = 0 THEN p.id - 1 END,
  CASE WHEN p.r % 3 = 0 THEN p.id - 1 ELSE p.id END,
  CASE WHEN p.r % 3 = 0 THEN 1 ELSE 0 END,
  CASE WHEN p.r % 3 = 0 THEN lpad((p.id - 1)::text, 10, '0') || '.' || lpad(p.id::text, 10, '0') ELSE lpad(p.id::text, 10, '0') END,
  CASE WHEN p.r % 2 = 0 THEN ph.id ELSE pa.id END,
  pg_temp.words(40, p."threadId" * 31 + p.r), 'APPROVED',
  now() - ((p."threadId" + p.r) || ' seconds')::interval, now(), now()
FROM plan p
JOIN physicians ph ON ph.n = 1 + (p."threadId" + p.r) % 50
JOIN patients pa ON pa.n = 1 + (p."threadId" * 3 + p.r) % 1949;
SELECT setval(pg_get_serial_sequence('"Reply"', 'id'), (SELECT max(id) FROM "Reply"));

-- Counts, activity and "answered", as the app keeps them.
UPDATE "Thread" t SET "replyCount" = s.n, "lastActivityAt" = s.last, "answeredAt" = s.answered
FROM (
  SELECT r."threadId" AS id, count(*)::int AS n, max(r."approvedAt") AS last,
         min(r."approvedAt") FILTER (WHERE p.status = 'VERIFIED') AS answered
  FROM "Reply" r LEFT JOIN "PhysicianProfile" p ON p."userId" = r."authorId" GROUP BY r."threadId"
) s WHERE t.id = s.id;

-- The moderation queue: 600 questions and 400 replies waiting (1,000 items), and 200 open reports on approved
-- replies, each by a different member.
INSERT INTO "Thread"(kind, title, body, "categoryId", "authorId", status, "createdAt", "updatedAt", "lastActivityAt")
SELECT 'QUESTION', 'Waiting question ' || g || ' ' || pg_temp.words(5, g), pg_temp.words(60, g + 7),
  (SELECT id FROM cats WHERE k = g % (SELECT count(*) FROM cats)), (SELECT id FROM patients WHERE n = 1 + g % 1949),
  'PENDING', now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, now()
FROM generate_series(1, 600) g;

CREATE TEMP TABLE waiting_replies AS
SELECT nextval(pg_get_serial_sequence('"Reply"', 'id')) AS id, 5000 + g * 7 AS "threadId", g FROM generate_series(1, 400) g;
INSERT INTO "Reply"(id, "threadId", "rootId", depth, path, "authorId", body, status, "createdAt", "updatedAt")
SELECT w.id, t.id, w.id, 0, lpad(w.id::text, 10, '0'), (SELECT id FROM patients WHERE n = 1 + (w.g * 13) % 1949),
  pg_temp.words(40, w.g + 11), 'PENDING', now() - (w.g || ' minutes')::interval, now() - (w.g || ' minutes')::interval
FROM waiting_replies w JOIN "Thread" t ON t.id = (SELECT min(id) FROM "Thread") + w."threadId";

INSERT INTO "Flag"("reporterId", "replyId", reason, note, "createdAt")
SELECT (SELECT id FROM patients WHERE n = g), r.id,
  (ARRAY['MISINFORMATION','PERSONAL_INFORMATION','SPAM','ABUSE','EMERGENCY','OTHER'])[1 + g % 6]::"FlagReason",
  CASE WHEN g % 3 = 0 THEN 'Reported in the benchmark: ' || pg_temp.words(8, g) END, now() - (g || ' minutes')::interval
FROM generate_series(1, 200) g
JOIN "Reply" r ON r.id = (SELECT min(id) FROM "Reply") + 2000 + g * 37;

ALTER TABLE "Thread" ENABLE TRIGGER "Thread_pages";
ALTER TABLE "Reply" ENABLE TRIGGER "Reply_pages";
ALTER TABLE "Thread" ENABLE TRIGGER "Thread_words";
ALTER TABLE "Reply" ENABLE TRIGGER "Reply_words";
SELECT curbside_rebuild_search_words();
ANALYZE;
