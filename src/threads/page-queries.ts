// The reads behind a thread page, as two hand-written prepared statements that run side by side: the thread
// (with its category, author, addressee and what is personal to the viewer), and one page of replies (the page
// of top-level replies, their sub-threads, authors, agreeing physicians, the viewer's own marks, and how many
// top-level replies there are). Every page view makes them, signed in or not, so they skip Prisma's per-query
// work and PostgreSQL's parsing and planning (see `statement`). Visibility is the rule of `visibleTo`:
// moderators see everything, a signed-in person the published posts and their own, a reader the published ones.
import { isStaff, type Viewer } from "../auth/viewer.ts";
import { type Database, statement } from "../db/client.ts";
import type { ModerationStatus } from "../generated/prisma/enums.ts";
import type { AuthorRow } from "./view-models.ts";

/** Columns naming a post's author (users `u`, profiles `p`) as `<prefix>_…`, read back by `authorOf`. */
const authorColumns = (u: string, p: string, prefix: string) =>
  `${u}.id AS "${prefix}_id", ${u}.pseudonym AS "${prefix}_pseudonym", ${u}."deletedAt" AS "${prefix}_deletedAt",
   ${p}.handle AS "${prefix}_handle", ${p}."fullName" AS "${prefix}_fullName", ${p}.credentials AS "${prefix}_credentials",
   ${p}.specialty AS "${prefix}_specialty", ${p}.status::text AS "${prefix}_status", ${p}."verifiedAt" AS "${prefix}_verifiedAt"`;

type AuthorColumns<P extends string> = {
  [K in
    | "id"
    | "pseudonym"
    | "deletedAt"
    | "handle"
    | "fullName"
    | "credentials"
    | "specialty"
    | "status"
    | "verifiedAt" as `${P}_${K}`]: K extends "deletedAt" | "verifiedAt"
    ? Date | null
    : K extends "id" | "pseudonym"
      ? string
      : string | null;
};

function authorOf<P extends string>(row: AuthorColumns<P>, prefix: P): AuthorRow {
  const get = <K extends string>(key: K) => (row as Record<string, unknown>)[`${prefix}_${key}`];
  const handle = get("handle") as string | null;
  return {
    id: get("id") as string,
    pseudonym: get("pseudonym") as string,
    deletedAt: get("deletedAt") as Date | null,
    physicianProfile:
      handle === null
        ? null
        : {
            handle,
            fullName: get("fullName") as string,
            credentials: get("credentials") as string,
            specialty: get("specialty") as string,
            status: get("status") as string,
            verifiedAt: get("verifiedAt") as Date | null,
          },
  };
}

// $1 thread id, $2 the viewer's id (NULL when signed out), $3 whether the viewer is a moderator.
const VISIBLE = (alias: string) => `(${alias}.status = 'APPROVED' OR ${alias}."authorId" = $2::uuid OR $3::boolean)`;

const THREAD = statement(
  "thread-page-thread",
  `SELECT t.id, t.kind::text AS kind, t.title, t.body, t."authorId", t.status::text AS status, t."moderationReason",
          t."moderationNote", t."changesRequestedAt", t."createdAt", t."updatedAt", t."approvedAt", t."answeredAt",
          t."replyCount", t."withdrawnAt", t."lockedAt", t.tags, t."references",
          c.slug AS "categorySlug", c.name AS "categoryName",
          ${authorColumns("au", "ap", "a")},
          ${authorColumns("du", "dp", "d")},
          (SELECT coalesce(json_agg(json_build_object('t', pr."threadId", 'r', pr."replyId")), '[]'::json)
             FROM "PostRevision" pr LEFT JOIN "Reply" rr ON rr.id = pr."replyId"
            WHERE pr."editorId" = $2::uuid AND pr.status = 'PENDING' AND (pr."threadId" = t.id OR rr."threadId" = t.id)) AS edits,
          EXISTS (SELECT 1 FROM "ThreadSubscription" s WHERE s."userId" = $2::uuid AND s."threadId" = t.id) AS following
     FROM "Thread" t
     JOIN "Category" c ON c.id = t."categoryId"
     JOIN "User" au ON au.id = t."authorId"
     LEFT JOIN "PhysicianProfile" ap ON ap."userId" = au.id
     LEFT JOIN "User" du ON du.id = t."addressedToId"
     LEFT JOIN "PhysicianProfile" dp ON dp."userId" = du.id
    WHERE t.id = $1 AND ${VISIBLE("t")}`,
);

// Pages are cut by top-level reply, the one the asker marked "answered my question" first, then by id; a page
// brings its top-level replies' whole sub-threads. The one-row outer join keeps the count on a page past the end.
const REPLIES = statement(
  "thread-page-replies",
  `WITH visible_roots AS (
     SELECT id, coalesce(id = (SELECT a."rootId" FROM "Reply" a
                                WHERE a."threadId" = $1 AND a."acceptedAt" IS NOT NULL AND a.status = 'APPROVED' LIMIT 1), false) AS first
       FROM "Reply" WHERE "threadId" = $1 AND depth = 0 AND ${VISIBLE(`"Reply"`)}
   ), page AS (
     SELECT id, row_number() OVER (ORDER BY first DESC, id) AS ord FROM visible_roots ORDER BY first DESC, id LIMIT $4 OFFSET $5
   )
   SELECT (SELECT count(*)::int FROM visible_roots) AS total,
          r.id, r."parentId", r."rootId", r.depth, r."authorId", r.body, r.status::text AS status, r."moderationReason",
          r."moderationNote", r."changesRequestedAt", r."createdAt", r."references", r."helpfulCount", r."acceptedAt",
          ${authorColumns("u", "p", "a")},
          (SELECT json_agg(json_build_object('handle', gp.handle, 'fullName', gp."fullName") ORDER BY g."createdAt", g."userId")
             FROM "Agreement" g JOIN "User" gu ON gu.id = g."userId" JOIN "PhysicianProfile" gp ON gp."userId" = g."userId"
            WHERE g."replyId" = r.id AND gu."deletedAt" IS NULL AND gp.status = 'VERIFIED' AND gp."verifiedAt" IS NOT NULL) AS agreeing,
          EXISTS (SELECT 1 FROM "Agreement" g WHERE g."replyId" = r.id AND g."userId" = $2::uuid) AS agreed,
          EXISTS (SELECT 1 FROM "HelpfulMark" h WHERE h."replyId" = r.id AND h."userId" = $2::uuid) AS marked
     FROM (SELECT 1) one
     LEFT JOIN (page
       JOIN "Reply" r ON r."threadId" = $1 AND r."rootId" = page.id AND ${VISIBLE("r")}
       JOIN "User" u ON u.id = r."authorId"
       LEFT JOIN "PhysicianProfile" p ON p."userId" = u.id) ON true
    ORDER BY page.ord, r.path`,
);

type ThreadRow = AuthorColumns<"a"> &
  AuthorColumns<"d"> & {
    id: number;
    kind: "QUESTION" | "ARTICLE";
    title: string;
    body: string;
    authorId: string;
    status: ModerationStatus;
    moderationReason: string | null;
    moderationNote: string | null;
    changesRequestedAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
    approvedAt: Date | null;
    answeredAt: Date | null;
    replyCount: number;
    withdrawnAt: Date | null;
    lockedAt: Date | null;
    tags: string[];
    references: unknown;
    categorySlug: string;
    categoryName: string;
    edits: { t: number | null; r: number | null }[];
    following: boolean;
  };

type ReplyRow = AuthorColumns<"a"> & {
  total: number;
  id: number | null;
  parentId: number | null;
  rootId: number | null;
  depth: number;
  authorId: string;
  body: string;
  status: ModerationStatus;
  moderationReason: string | null;
  moderationNote: string | null;
  changesRequestedAt: Date | null;
  createdAt: Date;
  references: unknown;
  helpfulCount: number;
  acceptedAt: Date | null;
  agreeing: { handle: string; fullName: string }[] | null;
  agreed: boolean;
  marked: boolean;
};

export type PageThread = ReturnType<typeof threadFrom>;
export type PageReply = ReturnType<typeof replyFrom>;

function threadFrom(row: ThreadRow) {
  const { categorySlug, categoryName, edits, following, ...rest } = row;
  return {
    id: rest.id,
    kind: rest.kind,
    title: rest.title,
    body: rest.body,
    authorId: rest.authorId,
    status: rest.status,
    moderationReason: rest.moderationReason,
    moderationNote: rest.moderationNote,
    changesRequestedAt: rest.changesRequestedAt,
    createdAt: rest.createdAt,
    updatedAt: rest.updatedAt,
    approvedAt: rest.approvedAt,
    answeredAt: rest.answeredAt,
    replyCount: rest.replyCount,
    withdrawnAt: rest.withdrawnAt,
    lockedAt: rest.lockedAt,
    tags: rest.tags,
    references: rest.references,
    category: { slug: categorySlug, name: categoryName },
    author: authorOf(row, "a"),
    addressedTo: row.d_id === null ? null : authorOf(row, "d"),
    edits,
    following,
  };
}

function replyFrom(row: ReplyRow & { id: number }) {
  return {
    id: row.id,
    parentId: row.parentId,
    rootId: row.rootId,
    depth: row.depth,
    authorId: row.authorId,
    body: row.body,
    status: row.status,
    moderationReason: row.moderationReason,
    moderationNote: row.moderationNote,
    changesRequestedAt: row.changesRequestedAt,
    createdAt: row.createdAt,
    references: row.references,
    helpfulCount: row.helpfulCount,
    acceptedAt: row.acceptedAt,
    author: authorOf(row, "a"),
    /** Verified physicians (still verified, accounts not deleted) agreeing, in the order they agreed. */
    agreeing: row.agreeing ?? [],
    /** The viewer agrees with it / marked it helpful. */
    agreed: row.agreed,
    marked: row.marked,
  };
}

/** The thread (null when it does not exist or the viewer may not see it) and one page of its replies. */
export async function readThreadPage(db: Database, viewer: Viewer, threadId: number, page: number, perPage: number) {
  const params = [threadId, viewer?.id ?? null, isStaff(viewer)];
  const [threads, replies] = await Promise.all([
    db.prepared.rows<ThreadRow>(THREAD, params),
    db.prepared.rows<ReplyRow>(REPLIES, [...params, perPage, (page - 1) * perPage]),
  ]);
  const thread = threads[0];
  return {
    thread: thread ? threadFrom(thread) : null,
    total: replies[0]?.total ?? 0,
    replies: replies.filter((r): r is ReplyRow & { id: number } => r.id !== null).map(replyFrom),
  };
}
