// The read behind a thread page, as one hand-written prepared statement: the thread (with its category, author,
// addressee and what is personal to the viewer) and one page of replies (the page of top-level replies, their
// sub-threads, authors, agreeing physicians, the viewer's own marks, and how many top-level replies there are).
// Every page view makes it, signed in or not, so it skips Prisma's per-query work, a second round trip, and
// PostgreSQL's parsing and planning (see `statement`). Visibility is the rule of `visibleTo`: moderators see
// everything, a signed-in person the published posts and their own, a reader the published ones.
import { isStaff, type Viewer } from "../auth/viewer.ts";
import { type Database, statement, type Table } from "../db/client.ts";
import type { ModerationStatus } from "../generated/prisma/enums.ts";
import type { AuthorRow } from "../posts/authors.ts";

/** A reply author's columns (users `u`, physician profiles `p`), read back by `replyAuthor`. */
const REPLY_AUTHOR_COLUMNS = `u.id AS "ra_id", u.pseudonym AS "ra_pseudonym", u."deletedAt" AS "ra_deletedAt",
   p.handle AS "ra_handle", p."fullName" AS "ra_fullName", p.credentials AS "ra_credentials",
   p.specialty AS "ra_specialty", p.status::text AS "ra_status", p."verifiedAt" AS "ra_verifiedAt"`;

type ReplyAuthorColumns = {
  ra_id: string;
  ra_pseudonym: string;
  ra_deletedAt: Date | null;
  /** NULL, like the rest of the ra_ profile columns, when the author has no physician profile. */
  ra_handle: string | null;
  ra_fullName: string | null;
  ra_credentials: string | null;
  ra_specialty: string | null;
  ra_status: string | null;
  ra_verifiedAt: Date | null;
};

function replyAuthor(t: Table<ReplyAuthorColumns>, row: readonly unknown[]): AuthorRow {
  const handle = t.get(row, "ra_handle");
  return {
    id: t.get(row, "ra_id"),
    pseudonym: t.get(row, "ra_pseudonym"),
    deletedAt: t.get(row, "ra_deletedAt"),
    physicianProfile:
      handle === null
        ? null
        : {
            handle,
            fullName: t.get(row, "ra_fullName") as string,
            credentials: t.get(row, "ra_credentials") as string,
            specialty: t.get(row, "ra_specialty") as string,
            status: t.get(row, "ra_status") as string,
            verifiedAt: t.get(row, "ra_verifiedAt"),
          },
  };
}

/** An author as JSON in the shape of `AuthorRow`, from users `u` and their physician profile `p`. */
export const authorJson = (u: string, p: string) =>
  `json_build_object('id', ${u}.id, 'pseudonym', ${u}.pseudonym, 'deletedAt', ${u}."deletedAt",
     'physicianProfile', CASE WHEN ${p}.id IS NULL THEN NULL ELSE json_build_object('handle', ${p}.handle,
       'fullName', ${p}."fullName", 'credentials', ${p}.credentials, 'specialty', ${p}.specialty,
       'status', ${p}.status, 'verifiedAt', ${p}."verifiedAt") END)`;

/** `authorJson` as parsed: its dates are ISO strings. */
export type AuthorJson = Omit<AuthorRow, "deletedAt" | "physicianProfile"> & {
  deletedAt: string | null;
  physicianProfile: (Omit<NonNullable<AuthorRow["physicianProfile"]>, "verifiedAt"> & { verifiedAt: string | null }) | null;
};

const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

/** The AuthorRow an `authorJson` column holds, so that one rule (authorView) decides its name and badge. */
export function authorFromJson(author: AuthorJson): AuthorRow {
  const p = author.physicianProfile;
  return {
    ...author,
    deletedAt: dateOrNull(author.deletedAt),
    physicianProfile: p && { ...p, verifiedAt: dateOrNull(p.verifiedAt) },
  };
}

// $1 thread id, $2 the viewer's id (NULL when signed out), $3 whether the viewer is a moderator, $4 and $5 the
// page's size and offset.
const VISIBLE = (alias: string) => `(${alias}.status = 'APPROVED' OR ${alias}."authorId" = $2::uuid OR $3::boolean)`;

/**
 * The viewer's ($2) edits awaiting review on the thread `thread` (an SQL expression) or on its replies, as the
 * FROM and WHERE of a query over `pr`. The thread page lists them, and the viewer's own statement below asks
 * whether there are any: one rule, so that a page built on the shared page never misses one.
 */
const OWN_PENDING_EDITS = (thread: string) => `FROM "PostRevision" pr LEFT JOIN "Reply" rr ON rr.id = pr."replyId"
  WHERE pr."editorId" = $2::uuid AND pr.status = 'PENDING' AND (pr."threadId" = ${thread} OR rr."threadId" = ${thread})`;

/** Whether the viewer ($2) follows the thread `thread` (an SQL expression). */
const FOLLOWING = (thread: string) =>
  `EXISTS (SELECT 1 FROM "ThreadSubscription" s WHERE s."userId" = $2::uuid AND s."threadId" = ${thread})`;

/** The top-level reply above the answer the asker marked "answered my question" (NULL when none): its page comes first. */
const ACCEPTED_ROOT = `(SELECT a."rootId" FROM "Reply" a WHERE a."threadId" = $1 AND a."acceptedAt" IS NOT NULL AND a.status = 'APPROVED' LIMIT 1)`;

// One statement, one round trip: the thread (as one JSON column) beside the first of one page of replies, so that
// it is sent and parsed once; a page without replies (past the end) is the thread's row alone. Pages are cut by
// top-level reply, the one the asker marked "answered my question" first, then by id; a page brings its
// top-level replies' whole sub-threads. The thread is JSON rather than ~40 columns because pg reads every
// column's description again with every result, which for this page cost more than reading its values.
const PAGE = statement(
  "thread-page",
  `WITH thread AS (
     SELECT json_build_object(
              'id', t.id, 'kind', t.kind, 'title', t.title, 'body', t.body, 'authorId', t."authorId", 'status', t.status,
              'moderationReason', t."moderationReason", 'moderationNote', t."moderationNote",
              'changesRequestedAt', t."changesRequestedAt", 'createdAt', t."createdAt", 'updatedAt', t."updatedAt",
              'approvedAt', t."approvedAt", 'answeredAt', t."answeredAt", 'replyCount', t."replyCount",
              'withdrawnAt', t."withdrawnAt", 'lockedAt', t."lockedAt", 'tags', t.tags, 'references', t."references",
              'category', json_build_object('slug', c.slug, 'name', c.name),
              'author', ${authorJson("au", "ap")},
              'addressedTo', CASE WHEN du.id IS NULL THEN NULL ELSE ${authorJson("du", "dp")} END,
              'edits', (SELECT coalesce(json_agg(json_build_object('t', pr."threadId", 'r', pr."replyId")), '[]'::json)
                          ${OWN_PENDING_EDITS("t.id")}),
              'following', ${FOLLOWING("t.id")}
            ) AS thread,
            1 AS one
       FROM "Thread" t
       JOIN "Category" c ON c.id = t."categoryId"
       JOIN "User" au ON au.id = t."authorId"
       LEFT JOIN "PhysicianProfile" ap ON ap."userId" = au.id
       LEFT JOIN "User" du ON du.id = t."addressedToId"
       LEFT JOIN "PhysicianProfile" dp ON dp."userId" = du.id
      WHERE t.id = $1 AND ${VISIBLE("t")}
   ), visible_roots AS (
     SELECT id, coalesce(id = ${ACCEPTED_ROOT}, false) AS first
       FROM "Reply" WHERE "threadId" = $1 AND depth = 0 AND ${VISIBLE(`"Reply"`)}
   ), page AS (
     SELECT id, row_number() OVER (ORDER BY first DESC, id) AS ord FROM visible_roots ORDER BY first DESC, id LIMIT $4 OFFSET $5
   ), replies AS (
     SELECT r.id AS r_id, r."parentId" AS "r_parentId", r."rootId" AS "r_rootId", r.depth AS r_depth, r."authorId" AS "r_authorId",
            r.body AS r_body, r.status::text AS r_status, r."moderationReason" AS "r_moderationReason",
            r."moderationNote" AS "r_moderationNote", r."changesRequestedAt" AS "r_changesRequestedAt",
            r."createdAt" AS "r_createdAt", r."references" AS r_references, r."helpfulCount" AS "r_helpfulCount",
            r."acceptedAt" AS "r_acceptedAt",
            ${REPLY_AUTHOR_COLUMNS},
            (SELECT json_agg(${authorJson("gu", "gp")} ORDER BY g."createdAt", g."userId")
               FROM "Agreement" g JOIN "User" gu ON gu.id = g."userId" LEFT JOIN "PhysicianProfile" gp ON gp."userId" = g."userId"
              WHERE g."replyId" = r.id) AS r_agreements,
            EXISTS (SELECT 1 FROM "HelpfulMark" h WHERE h."replyId" = r.id AND h."userId" = $2::uuid) AS r_marked,
            row_number() OVER (ORDER BY page.ord, r.path) AS r_n
       FROM page
       JOIN "Reply" r ON r."threadId" = $1 AND r."rootId" = page.id AND ${VISIBLE("r")}
       JOIN "User" u ON u.id = r."authorId"
       LEFT JOIN "PhysicianProfile" p ON p."userId" = u.id
      WHERE EXISTS (SELECT 1 FROM thread)
   )
   SELECT thread.thread, (SELECT count(*)::int FROM visible_roots) AS total, replies.*
     FROM replies FULL JOIN thread ON thread.one = replies.r_n
    ORDER BY replies.r_n`,
);

/** The thread as its JSON column holds it: dates are ISO strings. */
interface ThreadJson {
  id: number;
  kind: "QUESTION" | "ARTICLE";
  title: string;
  body: string;
  authorId: string;
  status: ModerationStatus;
  moderationReason: string | null;
  moderationNote: string | null;
  changesRequestedAt: string | null;
  createdAt: string;
  updatedAt: string;
  approvedAt: string | null;
  answeredAt: string | null;
  replyCount: number;
  withdrawnAt: string | null;
  lockedAt: string | null;
  tags: string[];
  references: unknown;
  category: { slug: string; name: string };
  author: AuthorJson;
  addressedTo: AuthorJson | null;
  edits: { t: number | null; r: number | null }[];
  following: boolean;
}

type ThreadColumns = { thread: ThreadJson; total: number };

/** A reply's columns; all NULL on the one row of a page without replies. */
type ReplyColumns = ReplyAuthorColumns & {
  r_id: number | null;
  r_parentId: number | null;
  r_rootId: number | null;
  r_depth: number;
  r_authorId: string;
  r_body: string;
  r_status: ModerationStatus;
  r_moderationReason: string | null;
  r_moderationNote: string | null;
  r_changesRequestedAt: Date | null;
  r_createdAt: Date;
  r_references: unknown;
  r_helpfulCount: number;
  r_acceptedAt: Date | null;
  /** Everyone who agrees, as JSON (dates as ISO strings), in the order they agreed. */
  r_agreements: AuthorJson[] | null;
  r_marked: boolean;
};

/** The first row carries the thread (NULL on the others); a row without a reply has r_id NULL. */
type PageRow = ThreadColumns & ReplyColumns;

export type PageThread = ReturnType<typeof threadFrom>;
export type PageReply = ReturnType<typeof replyFrom>;

function threadFrom(json: ThreadJson) {
  return {
    ...json,
    changesRequestedAt: dateOrNull(json.changesRequestedAt),
    createdAt: new Date(json.createdAt),
    updatedAt: new Date(json.updatedAt),
    approvedAt: dateOrNull(json.approvedAt),
    answeredAt: dateOrNull(json.answeredAt),
    withdrawnAt: dateOrNull(json.withdrawnAt),
    lockedAt: dateOrNull(json.lockedAt),
    author: authorFromJson(json.author),
    addressedTo: json.addressedTo && authorFromJson(json.addressedTo),
  };
}

function replyFrom(t: Table<PageRow>, row: readonly unknown[]) {
  return {
    id: t.get(row, "r_id") as number,
    parentId: t.get(row, "r_parentId"),
    rootId: t.get(row, "r_rootId"),
    depth: t.get(row, "r_depth"),
    authorId: t.get(row, "r_authorId"),
    body: t.get(row, "r_body"),
    status: t.get(row, "r_status"),
    moderationReason: t.get(row, "r_moderationReason"),
    moderationNote: t.get(row, "r_moderationNote"),
    changesRequestedAt: t.get(row, "r_changesRequestedAt"),
    createdAt: t.get(row, "r_createdAt"),
    references: t.get(row, "r_references"),
    helpfulCount: t.get(row, "r_helpfulCount"),
    acceptedAt: t.get(row, "r_acceptedAt"),
    author: replyAuthor(t, row),
    /** Everyone who agrees with it, in the order they agreed (the page shows those who carry the badge). */
    agreements: (t.get(row, "r_agreements") ?? []).map(authorFromJson),
    /** The viewer marked it helpful. */
    marked: t.get(row, "r_marked"),
  };
}

/** The thread (null when it does not exist or the viewer may not see it) and one page of its replies. */
export async function readThreadPage(db: Database, viewer: Viewer, threadId: number, page: number, perPage: number) {
  const t = await db.prepared.table<PageRow>(PAGE, [threadId, viewer?.id ?? null, isStaff(viewer), perPage, (page - 1) * perPage]);
  const first = t.rows[0];
  const replies: ReturnType<typeof replyFrom>[] = [];
  for (const row of t.rows) if (t.get(row, "r_id") !== null) replies.push(replyFrom(t, row));
  return {
    thread: first ? threadFrom(t.get(first, "thread")) : null,
    total: first ? t.get(first, "total") : 0,
    replies,
  };
}

// The position of a top-level reply among those the viewer sees, in page order ($4: its id): 1 for the accepted
// answer's, which comes first, otherwise its rank by id (the accepted one counted before it).
const REPLY_POSITION = statement(
  "reply-position",
  `SELECT CASE WHEN $4::int = ${ACCEPTED_ROOT} THEN 1
          ELSE (SELECT count(*) FROM "Reply" WHERE "threadId" = $1 AND depth = 0 AND ${VISIBLE(`"Reply"`)}
                  AND (id <= $4::int OR id = ${ACCEPTED_ROOT}))::int END AS position`,
);

/** Where a top-level reply falls in its thread's page order for this viewer (1-based). */
export async function readReplyPosition(db: Database, viewer: Viewer, threadId: number, rootId: number): Promise<number> {
  const [row] = await db.prepared.rows<{ position: number }>(REPLY_POSITION, [threadId, viewer?.id ?? null, isStaff(viewer), rootId]);
  return row?.position ?? 1;
}

// What a signed-in reader ($2) has of their own on a thread ($1) beyond what everyone sees: whether their page
// differs from everyone's in more than its buttons (a post of theirs that is not published, or an edit of
// theirs awaiting review, shows on it), whether they follow it, and the replies they marked helpful.
const VIEWER_STATE = statement(
  "thread-viewer",
  `SELECT EXISTS (SELECT 1 FROM "Reply" r WHERE r."threadId" = $1 AND r."authorId" = $2::uuid AND r.status <> 'APPROVED')
          OR EXISTS (SELECT 1 FROM "Thread" t WHERE t.id = $1 AND t."authorId" = $2::uuid AND t.status <> 'APPROVED')
          OR EXISTS (SELECT 1 ${OWN_PENDING_EDITS("$1")}) AS "ownPending",
          ${FOLLOWING("$1")} AS following,
          ARRAY(SELECT h."replyId" FROM "HelpfulMark" h JOIN "Reply" r ON r.id = h."replyId"
                 WHERE h."userId" = $2::uuid AND r."threadId" = $1) AS marked`,
);

export interface ViewerState {
  /** A post of theirs here is unpublished, or an edit of theirs waits for review: their page is their own. */
  ownPending: boolean;
  following: boolean;
  /** The replies here they marked helpful. */
  marked: Set<number>;
}

/** What is personal to a signed-in reader on a thread, in one statement (see VIEWER_STATE). */
export async function readViewerState(db: Database, viewerId: string, threadId: number): Promise<ViewerState> {
  const [row] = await db.prepared.rows<{ ownPending: boolean; following: boolean; marked: number[] }>(VIEWER_STATE, [threadId, viewerId]);
  return { ownPending: row?.ownPending ?? false, following: row?.following ?? false, marked: new Set(row?.marked ?? []) };
}
