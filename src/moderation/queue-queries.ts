// The moderation queue's side lists as one prepared statement: the site settings (why each post was held, the
// rejection reasons), physician applications and verifications due for a new check, open reports with the
// posts they are about, the history of the authors whose posts wait, and how many items wait in each list (the
// page shows the first 100 questions, 100 replies, 200 applications and 500 reports). With the session, the questions, the
// replies and the edits, the queue page costs five statements whatever the number of items.
// Each list comes back as one JSON column; dates come back as ISO strings and are turned back into Dates here.
import { type Database, statement } from "../db/client.ts";
import type { FlagReason } from "../generated/prisma/enums.ts";
import { type Settings, settingsOf } from "../settings/service.ts";
import { type AuthorJson, authorFromJson, authorJson } from "../threads/page-queries.ts";

/** For each author in $1: how many of their posts were approved and rejected, how many in all, and the account's age. */
const HISTORY = `SELECT u.id, u."createdAt",
    coalesce(sum(p.n) FILTER (WHERE p.status = 'APPROVED'), 0)::int AS approved,
    coalesce(sum(p.n) FILTER (WHERE p.status = 'REJECTED'), 0)::int AS rejected,
    coalesce(sum(p.n), 0)::int AS total
  FROM "User" u
  LEFT JOIN (
    SELECT "authorId", status, count(*) AS n FROM "Thread" WHERE "authorId" = ANY($1::uuid[]) GROUP BY 1, 2
    UNION ALL
    SELECT "authorId", status, count(*) FROM "Reply" WHERE "authorId" = ANY($1::uuid[]) GROUP BY 1, 2
  ) p ON p."authorId" = u.id
  WHERE u.id = ANY($1::uuid[])
  GROUP BY u.id`;

const AUTHOR_HISTORY = statement("author-history", HISTORY);

// $1 the ids of the authors whose history is wanted, $2 now (verifications whose re-check date is before it are due).
const QUEUE_SIDE = statement(
  "moderation-queue-side",
  `SELECT
     (SELECT row_to_json(s) FROM "SiteSettings" s WHERE s.id = 1) AS settings,
     (SELECT coalesce(json_agg(a), '[]') FROM (
        SELECT pp.id, pp.status, pp."fullName", pp.credentials, pp.specialty, pp."licenseNumber", pp.jurisdiction,
          pp."reverifyBy", pp."lapsedAt", pp."createdAt", u.id AS "userId", u.pseudonym
        FROM "PhysicianProfile" pp JOIN "User" u ON u.id = pp."userId"
        WHERE pp.status IN ('PENDING', 'LAPSED') OR (pp.status = 'VERIFIED' AND pp."reverifyBy" < $2::timestamptz)
        ORDER BY pp."createdAt", pp.id
        LIMIT 200) a) AS applications,
     (SELECT coalesce(json_agg(f), '[]') FROM (
        SELECT f.reason, f.note, f."createdAt", f."hidesPost",
          CASE WHEN f."hidesPost" THEN json_build_object('name', fp."fullName", 'handle', fp.handle) END AS physician,
          CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('id', t.id, 'title', t.title, 'body', t.body,
            'urgent', t.urgent, 'author', ${authorJson("tu", "tp")}) END AS thread,
          CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object('id', r.id, 'body', r.body, 'urgent', r.urgent,
            'author', ${authorJson("ru", "rp")}, 'thread', json_build_object('id', rt.id, 'title', rt.title)) END AS reply
        FROM "Flag" f
        LEFT JOIN "PhysicianProfile" fp ON fp."userId" = f."reporterId"
        LEFT JOIN "Thread" t ON t.id = f."threadId"
        LEFT JOIN "User" tu ON tu.id = t."authorId"
        LEFT JOIN "PhysicianProfile" tp ON tp."userId" = tu.id
        LEFT JOIN "Reply" r ON r.id = f."replyId"
        LEFT JOIN "Thread" rt ON rt.id = r."threadId"
        LEFT JOIN "User" ru ON ru.id = r."authorId"
        LEFT JOIN "PhysicianProfile" rp ON rp."userId" = ru.id
        WHERE f.status = 'OPEN'
        ORDER BY f."hidesPost" DESC, f."createdAt", f.id
        LIMIT 500) f) AS flags,
     (SELECT coalesce(json_agg(h), '[]') FROM (${HISTORY}) h) AS history,
     (SELECT coalesce(json_agg(pp."fullName"), '[]') FROM "PhysicianProfile" pp JOIN "User" u ON u.id = pp."userId"
        WHERE pp.status = 'VERIFIED' AND u."deletedAt" IS NULL) AS physicians,
     json_build_object(
       'threads', (SELECT count(*) FROM "Thread"
                    WHERE status = 'PENDING' AND "withdrawnAt" IS NULL AND "changesRequestedAt" IS NULL),
       'replies', (SELECT count(*) FROM "Reply" WHERE status = 'PENDING' AND "changesRequestedAt" IS NULL),
       'applications', (SELECT count(*) FROM "PhysicianProfile" WHERE status = 'PENDING'),
       'flagged', (SELECT count(*) FROM (SELECT DISTINCT "threadId", "replyId" FROM "Flag" WHERE status = 'OPEN') p)
     ) AS waiting`,
);

/** How many items wait in each list, however many the page shows. */
export interface Waiting {
  threads: number;
  replies: number;
  applications: number;
  flagged: number;
}

interface SideRow {
  settings: Settings | null;
  applications: {
    id: number;
    status: "PENDING" | "VERIFIED" | "LAPSED";
    fullName: string;
    credentials: string;
    specialty: string;
    licenseNumber: string;
    jurisdiction: string;
    /** A date column: "2026-11-21". */
    reverifyBy: string | null;
    lapsedAt: string | null;
    createdAt: string;
    userId: string;
    pseudonym: string;
  }[];
  flags: {
    reason: FlagReason;
    note: string | null;
    createdAt: string;
    /** A physician's misinformation report, which hid the post: who sent it. */
    hidesPost: boolean;
    physician: { name: string; handle: string } | null;
    thread: { id: number; title: string; body: string; urgent: boolean; author: AuthorJson } | null;
    reply: { id: number; body: string; urgent: boolean; author: AuthorJson; thread: { id: number; title: string } } | null;
  }[];
  history: HistoryRow[];
  /** Verified physicians' full names: naming them identifies no patient, so the highlights leave them. */
  physicians: string[];
  waiting: Waiting;
}

export interface AuthorHistory {
  approved: number;
  rejected: number;
  firstPost: boolean;
  memberSince: Date;
}

type HistoryRow = { id: string; createdAt: string | Date; approved: number; rejected: number; total: number };

function historyMap(rows: readonly HistoryRow[]) {
  const history = new Map<string, AuthorHistory>();
  for (const h of rows)
    history.set(h.id, { approved: h.approved, rejected: h.rejected, firstPost: h.total <= 1, memberSince: new Date(h.createdAt) });
  return history;
}

/** For each author: how many of their posts were approved and rejected, whether this is their first, and the account's age. */
export async function readAuthorHistory(db: Database, authorIds: readonly string[]) {
  return historyMap(await db.prepared.rows<HistoryRow>(AUTHOR_HISTORY, [[...new Set(authorIds)]]));
}

/** Settings, applications, open reports and the history of `authorIds`, in one round trip. */
export async function readQueueSide(db: Database, authorIds: readonly string[]) {
  const [row] = await db.prepared.rows<SideRow>(QUEUE_SIDE, [[...new Set(authorIds)], new Date()]);
  if (!row) throw new Error("the queue's side statement returned no row");
  return {
    settings: settingsOf(row.settings),
    waiting: row.waiting,
    physicians: row.physicians,
    history: historyMap(row.history),
    applications: row.applications.map((a) => ({ ...a, createdAt: new Date(a.createdAt) })),
    flags: row.flags.map((f) => ({
      reason: f.reason,
      note: f.note,
      createdAt: new Date(f.createdAt),
      hidesPost: f.hidesPost,
      physician: f.physician,
      thread: f.thread && { ...f.thread, author: authorFromJson(f.thread.author) },
      reply: f.reply && { ...f.reply, author: authorFromJson(f.reply.author) },
    })),
  };
}
