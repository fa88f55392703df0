// The moderation log as moderators read it: newest first by date, each entry with its action in words and the
// item it touched by name and link ("Reply in “TITLE”"), filtered and paginated. Only staff read it, and staff
// may see every post, so titles of unpublished posts are shown here and nowhere else.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { replyUrl, threadUrl } from "../posts/urls.ts";
import { requireModerator } from "./guard.ts";

export const LOG_PAGE = 50;

/** Each logged action in words, as a sentence's verb: "Ada approved …". Unknown ones are shown as written. */
export const ACTION_WORDS: Record<string, string> = {
  approve: "approved",
  reject: "rejected",
  "request-changes": "requested changes to",
  hide: "hid",
  redact: "redacted",
  reverse: "reversed a decision on",
  "dismiss-flags": "dismissed the reports on",
  moderate: "changed the moderation of",
  verify: "verified",
  revoke: "revoked the verification of",
  recheck: "re-checked the licence of",
  settings: "changed",
  suspend: "suspended",
  unsuspend: "lifted the suspension of",
  lock: "locked",
  unlock: "unlocked",
  // Written by the edits queue, the report review, member restrictions and the admin tools.
  "approve-edit": "approved an edit of",
  "reject-edit": "rejected an edit of",
  restore: "restored",
  silence: "silenced",
  lift: "lifted the restrictions on",
  "role.change": "changed the role of",
  "admin.created": "created the admin account of",
  "admin.promoted": "made an admin of",
  "password.set": "set the password of",
};

export const actionWords = (action: string) => ACTION_WORDS[action] ?? action.replaceAll(/[-_]+/g, " ");

export interface LogFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  before?: bigint;
}

type Row = { targetType: string; targetId: string };

/** The names and links of the items these entries touched, read in one query per kind. */
async function targets(db: Database, rows: Row[]) {
  const ids = (type: string) =>
    [...new Set(rows.filter((r) => r.targetType === type).map((r) => Number(r.targetId)))].filter(Number.isSafeInteger);
  const uuids = (type: string) => [...new Set(rows.filter((r) => r.targetType === type).map((r) => r.targetId))];
  const [threads, replies, users, applications] = await Promise.all([
    db.thread.findMany({ where: { id: { in: ids("THREAD") } }, select: { id: true, title: true, kind: true } }),
    db.reply.findMany({ where: { id: { in: ids("REPLY") } }, select: { id: true, thread: { select: { id: true, title: true } } } }),
    db.user.findMany({ where: { id: { in: uuids("USER").filter(isUuid) } }, select: { id: true, pseudonym: true, deletedAt: true } }),
    db.physicianProfile.findMany({
      where: { id: { in: ids("PHYSICIAN_APPLICATION") } },
      select: { id: true, fullName: true, userId: true },
    }),
  ]);
  const byKey = new Map<string, { label: string; title: string | null; url: string | null }>();
  for (const t of threads)
    byKey.set(`THREAD:${t.id}`, { label: t.kind === "ARTICLE" ? "article" : "question", title: t.title, url: threadUrl(t) });
  for (const r of replies) byKey.set(`REPLY:${r.id}`, { label: "reply in", title: r.thread.title, url: replyUrl(r.thread, r.id) });
  for (const u of users)
    byKey.set(`USER:${u.id}`, { label: "member", title: u.deletedAt ? "Former member" : u.pseudonym, url: `/moderation/users/${u.id}` });
  for (const a of applications)
    byKey.set(`PHYSICIAN_APPLICATION:${a.id}`, {
      label: "physician",
      title: `Dr. ${a.fullName}`,
      url: `/moderation/users/${a.userId}`,
    });
  return (row: Row) =>
    byKey.get(`${row.targetType}:${row.targetId}`) ??
    (row.targetType === "SETTINGS"
      ? { label: "site settings", title: null, url: "/admin/settings" }
      : { label: `${row.targetType.toLowerCase().replaceAll("_", " ")} #${row.targetId}`, title: null, url: null });
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function createModerationLog(db: Database) {
  return {
    /** One page of the log, newest first (by time, then by id), for a moderator. */
    async page(viewer: Viewer, filter: LogFilter) {
      requireModerator(viewer, "viewModerationQueue");
      const where: Prisma.ModerationLogWhereInput = {};
      if (filter.actor) where.actorId = filter.actor;
      if (filter.action) where.action = filter.action;
      const createdAt: Prisma.DateTimeFilter = {};
      if (filter.from) createdAt.gte = new Date(`${filter.from}T00:00:00Z`);
      if (filter.to) createdAt.lt = new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000);
      if (filter.from || filter.to) where.createdAt = createdAt;
      // Older than the entry the page before ended with: by time, ties by id.
      const cursor = filter.before
        ? await db.moderationLog.findUnique({ where: { id: filter.before }, select: { id: true, createdAt: true } })
        : null;
      const pageWhere: Prisma.ModerationLogWhereInput = cursor
        ? { AND: [where, { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }] }
        : where;
      const [rows, staff, actions] = await Promise.all([
        db.moderationLog.findMany({
          where: pageWhere,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: LOG_PAGE + 1,
          include: { actor: { select: { pseudonym: true, deletedAt: true } } },
        }),
        db.user.findMany({
          where: { role: { in: ["MODERATOR", "ADMIN"] } },
          orderBy: { pseudonym: "asc" },
          select: { id: true, pseudonym: true },
        }),
        db.moderationLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
      ]);
      const page = rows.slice(0, LOG_PAGE);
      const targetOf = await targets(db, page);
      return {
        entries: page.map((e) => ({
          id: String(e.id),
          actor: e.actor.deletedAt ? "Former member" : e.actor.pseudonym,
          action: actionWords(e.action),
          target: targetOf(e),
          reverseAction:
            (e.targetType === "THREAD" || e.targetType === "REPLY") && ["approve", "reject", "hide"].includes(e.action)
              ? `/moderation/${e.targetType === "THREAD" ? "threads" : "replies"}/${e.targetId}/reverse`
              : null,
          reason: e.reason,
          note: e.note,
          createdAt: e.createdAt,
        })),
        nextBefore: rows.length > LOG_PAGE ? String(page.at(-1)?.id) : null,
        staff,
        actions: actions.map((a) => ({ value: a.action, words: actionWords(a.action) })),
      };
    },
  };
}
