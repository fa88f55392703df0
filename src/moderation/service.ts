// The moderation queue and moderator decisions. Each decision is guarded in its WHERE clause, so when two
// moderators act on one item only the first succeeds; the second is told it was already decided.
import { can } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { FLAG_REASONS } from "../flags/schemas.ts";
import { HIDDEN_BY_REPORTS } from "../flags/service.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { excerpt } from "../lib/markdown.ts";
import { decisionMade, postUrl, questionPublished } from "../notifications/service.ts";
import { findIdentifyingDetails } from "../safety/identifying.ts";
import { countLinks, findWatched, rejectionChoices, type Settings } from "../settings/service.ts";
import { applyReplyPublished, authorSelect, recountThreads } from "../threads/service.ts";
import { type AuthorRow, authorView, threadUrl } from "../threads/view-models.ts";
import { writeAudit } from "./audit.ts";
import { readAuthorHistory, readQueueSide } from "./queue-queries.ts";
import { REVOKED_REVIEW, reReviewPostsOf } from "./re-review.ts";
import type { VerifyInput } from "./schemas.ts";

export type ItemKind = "threads" | "replies" | "applications";

export const AUDIT_PAGE = 50;

export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  before?: bigint;
}

const ALREADY_DECIDED = "Another moderator has already decided on this item. The queue below is up to date.";

export function requireModerator(viewer: Viewer, action: "moderate" | "reviewApplications" | "viewModerationQueue" = "moderate") {
  if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in as a moderator to use the queue.");
  if (!can(viewer, action)) throw new AppError("FORBIDDEN", "Only moderators can do that.");
  return viewer;
}

/** Who is working on an item, while their claim lasts. */
function claimView(row: { claimedById: string | null; claimedAt: Date | null; claimedBy: { pseudonym: string } | null }, viewer: Viewer) {
  if (!row.claimedById || !row.claimedAt || row.claimedAt.getTime() <= Date.now() - CLAIM_MS) return null;
  return {
    mine: row.claimedById === viewer?.id,
    by: row.claimedBy?.pseudonym ?? "another moderator",
    minutes: Math.max(1, Math.round((Date.now() - row.claimedAt.getTime()) / 60_000)),
  };
}

/** Why a post waits in the queue, in the words a moderator needs. */
export function heldBecause(
  text: string,
  urgent: boolean,
  history: { firstPost: boolean; approved: number } | undefined,
  author: AuthorRow,
  settings: Settings,
  stored: string | null = null,
): string[] {
  const reasons: string[] = [];
  if (stored === REVOKED_REVIEW) reasons.push(REVOKED_REVIEW.toLowerCase());
  if (urgent) reasons.push("mentions signs of an emergency");
  if (history?.firstPost) reasons.push("the author's first post");
  const links = countLinks(text);
  if (links >= settings.holdLinksAt) reasons.push(`${links} links (the limit is ${settings.holdLinksAt})`);
  for (const word of findWatched(text, settings.watchedHold)) reasons.push(`watched word "${word}"`);
  if (findIdentifyingDetails(text).length > 0) reasons.push("may contain identifying details");
  const p = author.physicianProfile;
  if (p && p.status !== "VERIFIED") reasons.push("physician not verified yet: posts are reviewed");
  else if (!p && settings.trustAfterApproved === 0) reasons.push("every patient post is reviewed");
  else if (!p && (history?.approved ?? 0) < settings.trustAfterApproved)
    reasons.push(`the author has ${history?.approved ?? 0} of ${settings.trustAfterApproved} approved posts needed to skip review`);
  return reasons;
}

/** A claim lapses after this long, so an abandoned item returns to everyone. */
export const CLAIM_MS = 15 * 60 * 1000;

/** Items a moderator may act on: unclaimed, claimed by them, or with a lapsed claim. */
function openTo(moderatorId: string) {
  return { OR: [{ claimedById: null }, { claimedById: moderatorId }, { claimedAt: { lt: new Date(Date.now() - CLAIM_MS) } }] };
}

/** A post a moderator can hide: a public one, or one that reports hid until review. */
const publicOrHiddenByReports = {
  OR: [{ status: "APPROVED" as const }, { status: "HIDDEN" as const, moderationReason: HIDDEN_BY_REPORTS }],
};

/** Tells a post's author about a moderator's decision on it, with the reason and a link. */
async function tellAuthor(
  tx: Prisma.TransactionClient,
  kind: "threads" | "replies",
  id: number,
  decision: Parameters<typeof decisionMade>[1]["decision"],
  reason: string | null = null,
  note: string | null = null,
) {
  const post = await postUrl(tx, kind, id);
  if (post) await decisionMade(tx, { userId: post.authorId, decision, what: post.what, reason, note, url: post.url });
}

export function createModerationService(db: Database) {
  /** Why a guarded decision changed nothing: someone else's live claim, an earlier decision, or no such item. */
  async function whyNot(kind: ItemKind, id: number, moderatorId: string): Promise<string> {
    if (kind === "applications") {
      if (!(await exists(kind, id))) throw notFound("item");
      return ALREADY_DECIDED;
    }
    const select = { status: true, claimedAt: true, claimedById: true, claimedBy: { select: { pseudonym: true } } } as const;
    const row =
      kind === "threads" ? await db.thread.findUnique({ where: { id }, select }) : await db.reply.findUnique({ where: { id }, select });
    if (!row) throw notFound("item");
    if (
      row.status === "PENDING" &&
      row.claimedById &&
      row.claimedById !== moderatorId &&
      row.claimedAt &&
      row.claimedAt.getTime() > Date.now() - CLAIM_MS
    ) {
      const minutes = Math.max(1, Math.round((Date.now() - row.claimedAt.getTime()) / 60_000));
      return `${row.claimedBy?.pseudonym ?? "Another moderator"} is working on this item (claimed ${minutes} minute${minutes === 1 ? "" : "s"} ago). Leave it to them, or take it over once the claim lapses.`;
    }
    return ALREADY_DECIDED;
  }

  async function exists(kind: ItemKind, id: number): Promise<boolean> {
    if (kind === "threads") return (await db.thread.count({ where: { id } })) > 0;
    if (kind === "replies") return (await db.reply.count({ where: { id } })) > 0;
    return (await db.physicianProfile.count({ where: { id } })) > 0;
  }

  return {
    async queue(viewer: Viewer) {
      requireModerator(viewer, "viewModerationQueue");
      const [threads, replies] = await Promise.all([
        db.thread.findMany({
          where: { status: "PENDING", withdrawnAt: null, changesRequestedAt: null },
          orderBy: [{ urgent: "desc" }, { updatedAt: "asc" }],
          take: 100,
          include: { author: authorSelect, category: { select: { name: true } }, claimedBy: { select: { pseudonym: true } } },
        }),
        db.reply.findMany({
          where: { status: "PENDING", changesRequestedAt: null },
          orderBy: [{ urgent: "desc" }, { updatedAt: "asc" }],
          take: 100,
          include: {
            author: authorSelect,
            thread: { select: { id: true, title: true } },
            parent: { select: { body: true, author: authorSelect } },
            claimedBy: { select: { pseudonym: true } },
          },
        }),
      ]);
      // Settings, applications, reports and the authors' histories: one more statement.
      const { settings, history, applications, flags, waiting } = await readQueueSide(db, [
        ...threads.map((t) => t.authorId),
        ...replies.map((r) => r.authorId),
      ]);
      // One queue item per reported post, with every open report on it.
      const flagged = new Map<
        string,
        {
          id: number;
          kind: "threads" | "replies";
          title: string;
          body: string;
          url: string;
          urgent: boolean;
          author: ReturnType<typeof authorView>;
          reports: { reason: string; note: string | null; createdAt: Date }[];
        }
      >();
      for (const f of flags) {
        const key = f.thread ? `threads-${f.thread.id}` : `replies-${f.reply?.id}`;
        let item = flagged.get(key);
        if (!item) {
          if (f.thread)
            item = {
              id: f.thread.id,
              kind: "threads",
              title: f.thread.title,
              body: f.thread.body,
              url: threadUrl(f.thread),
              urgent: f.thread.urgent,
              author: authorView(f.thread.author),
              reports: [],
            };
          else if (f.reply)
            item = {
              id: f.reply.id,
              kind: "replies",
              title: `Reply in ${f.reply.thread.title}`,
              body: f.reply.body,
              url: `${threadUrl(f.reply.thread)}#reply-${f.reply.id}`,
              urgent: f.reply.urgent,
              author: authorView(f.reply.author),
              reports: [],
            };
          else continue;
          flagged.set(key, item);
        }
        item.reports.push({ reason: FLAG_REASONS[f.reason], note: f.note, createdAt: f.createdAt });
      }
      const pending = applications.filter((a) => a.status === "PENDING");
      const flaggedItems = [...flagged.values()].sort((a, b) => Number(b.urgent) - Number(a.urgent) || b.reports.length - a.reports.length);
      return {
        threads: threads.map((t) => ({
          id: t.id,
          kind: "threads",
          title: t.title,
          body: t.body,
          url: threadUrl(t),
          category: t.category.name,
          urgent: t.urgent,
          history: history.get(t.authorId) ?? null,
          heldBecause: heldBecause(
            `${t.title}\n${t.body}`,
            t.urgent,
            history.get(t.authorId),
            t.author as AuthorRow,
            settings,
            t.moderationReason,
          ),
          claim: claimView(t, viewer),
          authorUrl: `/moderation/users/${t.authorId}`,
          author: authorView(t.author as AuthorRow),
          submittedAt: t.updatedAt,
        })),
        replies: replies.map((r) => ({
          id: r.id,
          kind: "replies",
          body: r.body,
          url: `${threadUrl(r.thread)}#reply-${r.id}`,
          thread: { title: r.thread.title, url: threadUrl(r.thread) },
          urgent: r.urgent,
          history: history.get(r.authorId) ?? null,
          heldBecause: heldBecause(r.body, r.urgent, history.get(r.authorId), r.author as AuthorRow, settings, r.moderationReason),
          claim: claimView(r, viewer),
          authorUrl: `/moderation/users/${r.authorId}`,
          parent: r.parent ? { author: authorView(r.parent.author as AuthorRow).name, excerpt: excerpt(r.parent.body, 160) } : null,
          author: authorView(r.author as AuthorRow),
          submittedAt: r.updatedAt,
        })),
        dueForCheck: applications
          .filter((a) => a.status === "VERIFIED")
          .map((a) => ({
            fullName: a.fullName,
            credentials: a.credentials,
            reverifyBy: a.reverifyBy ?? "",
            memberUrl: `/moderation/users/${a.userId}`,
          })),
        applications: pending.map((a) => ({
          id: a.id,
          kind: "applications",
          pseudonym: a.pseudonym,
          fullName: a.fullName,
          credentials: a.credentials,
          specialty: a.specialty,
          licenseNumber: a.licenseNumber,
          jurisdiction: a.jurisdiction,
          submittedAt: a.createdAt,
        })),
        flagged: flaggedItems,
        rejectionReasons: rejectionChoices(settings),
        /** Everything waiting, counted apart from what the page shows. */
        total: waiting.threads + waiting.replies + waiting.applications + waiting.flagged,
        /** A list that shows only its first items says how many wait in all. */
        more: {
          questions: waiting.threads > threads.length ? { shown: threads.length, waiting: waiting.threads } : null,
          replies: waiting.replies > replies.length ? { shown: replies.length, waiting: waiting.replies } : null,
          flagged: waiting.flagged > flaggedItems.length ? { shown: flaggedItems.length, waiting: waiting.flagged } : null,
          applications: waiting.applications > pending.length ? { shown: pending.length, waiting: waiting.applications } : null,
        },
      };
    },

    /** Approves or rejects many questions and replies; each is guarded on its own, as if decided one by one. */
    async bulk(
      viewer: Viewer,
      items: { kind: "threads" | "replies"; id: number }[],
      decision: "approve" | "reject",
      reason: string,
      note: string,
    ) {
      requireModerator(viewer);
      let done = 0;
      let skipped = 0;
      const unknownIsSkipped = (error: unknown) => {
        if (error instanceof AppError && error.code === "NOT_FOUND") return null;
        throw error;
      };
      for (const item of items) {
        const result =
          decision === "approve"
            ? await this.approve(viewer, item.kind, item.id).catch(unknownIsSkipped)
            : await this.reject(viewer, item.kind, item.id, reason, note).catch(unknownIsSkipped);
        if (result?.ok) done++;
        else skipped++;
      }
      return { done, skipped };
    },

    /** The audit log, newest first, filtered by moderator, action and UTC date; cut into pages by id. */
    async auditLog(viewer: Viewer, filter: AuditFilter) {
      requireModerator(viewer, "viewModerationQueue");
      const where: Prisma.ModerationLogWhereInput = {};
      if (filter.actor) where.actorId = filter.actor;
      if (filter.action) where.action = filter.action;
      const createdAt: Prisma.DateTimeFilter = {};
      if (filter.from) createdAt.gte = new Date(`${filter.from}T00:00:00Z`);
      if (filter.to) createdAt.lt = new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000);
      if (filter.from || filter.to) where.createdAt = createdAt;
      if (filter.before) where.id = { lt: filter.before };
      const [rows, staff, actions] = await Promise.all([
        db.moderationLog.findMany({
          where,
          orderBy: { id: "desc" },
          take: AUDIT_PAGE + 1,
          include: { actor: { select: { pseudonym: true, deletedAt: true } } },
        }),
        db.user.findMany({
          where: { role: { in: ["MODERATOR", "ADMIN"] } },
          orderBy: { pseudonym: "asc" },
          select: { id: true, pseudonym: true },
        }),
        db.moderationLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
      ]);
      const page = rows.slice(0, AUDIT_PAGE);
      return {
        entries: page.map((e) => ({
          id: String(e.id),
          actor: e.actor.deletedAt ? "Former member" : e.actor.pseudonym,
          action: e.action,
          target: `${e.targetType.toLowerCase().replaceAll("_", " ")} #${e.targetId}`,
          targetUrl: e.targetType === "THREAD" ? `/t/${e.targetId}` : null,
          reverseAction:
            (e.targetType === "THREAD" || e.targetType === "REPLY") && ["approve", "reject", "hide"].includes(e.action)
              ? `/moderation/${e.targetType === "THREAD" ? "threads" : "replies"}/${e.targetId}/reverse`
              : null,
          reason: e.reason,
          note: e.note,
          createdAt: e.createdAt,
        })),
        nextBefore: rows.length > AUDIT_PAGE ? String(page.at(-1)?.id) : null,
        staff,
        actions: actions.map((a) => a.action),
      };
    },

    async approve(viewer: Viewer, kind: ItemKind, id: number, provenance?: VerifyInput): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer, kind === "applications" ? "reviewApplications" : "moderate");
      const now = new Date();
      const done = await db.$transaction(async (tx) => {
        if (kind === "threads") {
          const { count } = await tx.thread.updateMany({
            where: { id, status: "PENDING", ...openTo(moderator.id) },
            data: {
              status: "APPROVED",
              approvedAt: now,
              lastActivityAt: now,
              moderatedById: moderator.id,
              moderatedAt: now,
              moderationReason: null,
              moderationNote: null,
            },
          });
          if (count === 1) {
            await writeAudit(tx, { actorId: moderator.id, action: "approve", targetType: "THREAD", targetId: id });
            const thread = await tx.thread.findUniqueOrThrow({
              where: { id },
              select: { id: true, title: true, categoryId: true, authorId: true, kind: true, addressedToId: true },
            });
            await tellAuthor(tx, "threads", id, "approved");
            await questionPublished(tx, thread);
          }
          return count === 1;
        }
        if (kind === "replies") {
          const reply = await tx.reply.findUnique({ where: { id }, select: { id: true, threadId: true, authorId: true, parentId: true } });
          const { count } = await tx.reply.updateMany({
            where: { id, status: "PENDING", ...openTo(moderator.id) },
            data: {
              status: "APPROVED",
              approvedAt: now,
              moderatedById: moderator.id,
              moderatedAt: now,
              moderationReason: null,
              moderationNote: null,
            },
          });
          if (count === 1 && reply) {
            await applyReplyPublished(tx, reply, now);
            await writeAudit(tx, { actorId: moderator.id, action: "approve", targetType: "REPLY", targetId: id });
            await tellAuthor(tx, "replies", id, "approved");
          }
          return count === 1;
        }
        if (!provenance) throw new AppError("INVALID", "Record how you checked the licence.");
        const { count } = await tx.physicianProfile.updateMany({
          where: { id, status: "PENDING" },
          data: {
            status: "VERIFIED",
            verifiedAt: now,
            reviewedById: moderator.id,
            reviewReason: null,
            reviewNote: null,
            registryName: provenance.registryName,
            registryReference: provenance.registryReference,
            checkedOn: new Date(`${provenance.checkedOn}T00:00:00Z`),
            reverifyBy: new Date(`${provenance.reverifyBy}T00:00:00Z`),
            revokedAt: null,
          },
        });
        if (count === 1)
          await writeAudit(tx, {
            actorId: moderator.id,
            action: "verify",
            targetType: "PHYSICIAN_APPLICATION",
            targetId: id,
            note: `${provenance.registryName}, reference ${provenance.registryReference}, checked ${provenance.checkedOn}; check again by ${provenance.reverifyBy}`,
          });
        return count === 1;
      });
      if (!done) return invalid({ _form: await whyNot(kind, id, moderator.id) }, 409);
      return ok({
        message: kind === "applications" ? "Physician verified. Their badge now shows on their posts." : "Approved. It is now public.",
      });
    },

    /** Hides a public post (a patient's or a physician's): its author still sees it, with the reason. Open reports on it are upheld. */
    async hide(
      viewer: Viewer,
      kind: "threads" | "replies",
      id: number,
      reason: string,
      note: string,
    ): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const now = new Date();
      const cleanNote = note.trim() === "" ? null : note;
      const data = {
        status: "HIDDEN" as const,
        moderationReason: reason,
        moderationNote: cleanNote,
        moderatedById: moderator.id,
        moderatedAt: now,
      };
      const done = await db.$transaction(async (tx) => {
        if (kind === "threads") {
          const { count } = await tx.thread.updateMany({ where: { id, ...publicOrHiddenByReports }, data });
          if (count !== 1) return false;
          await tx.flag.updateMany({
            where: { threadId: id, status: "OPEN" },
            data: { status: "UPHELD", resolvedById: moderator.id, resolvedAt: now },
          });
        } else {
          const reply = await tx.reply.findUnique({ where: { id }, select: { threadId: true } });
          const { count } = await tx.reply.updateMany({ where: { id, ...publicOrHiddenByReports }, data });
          if (count !== 1 || !reply) return false;
          await tx.flag.updateMany({
            where: { replyId: id, status: "OPEN" },
            data: { status: "UPHELD", resolvedById: moderator.id, resolvedAt: now },
          });
          await recountThreads(tx, reply.threadId);
        }
        await tellAuthor(tx, kind, id, "hidden", reason, cleanNote);
        await writeAudit(tx, {
          actorId: moderator.id,
          action: "hide",
          targetType: kind === "threads" ? "THREAD" : "REPLY",
          targetId: id,
          reason,
          note: cleanNote,
        });
        return true;
      });
      if (!done) {
        if (!(await exists(kind, id))) throw notFound("post");
        return invalid({ _form: "This post is not public any more: another moderator has already acted on it." }, 409);
      }
      return ok({ message: "Hidden. Its author still sees it, with your reason." });
    },

    /** Sends a pending post back to its author with a note; it stays pending and returns to the queue once edited. */
    async requestChanges(viewer: Viewer, kind: "threads" | "replies", id: number, note: string): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const now = new Date();
      const data = {
        moderationReason: "Changes requested",
        moderationNote: note,
        changesRequestedAt: now,
        moderatedById: moderator.id,
        moderatedAt: now,
      };
      const done = await db.$transaction(async (tx) => {
        const where = { id, status: "PENDING" as const, changesRequestedAt: null, ...openTo(moderator.id) };
        const { count } = kind === "threads" ? await tx.thread.updateMany({ where, data }) : await tx.reply.updateMany({ where, data });
        if (count === 1) await tellAuthor(tx, kind, id, "changes", null, note);
        if (count === 1)
          await writeAudit(tx, {
            actorId: moderator.id,
            action: "request-changes",
            targetType: kind === "threads" ? "THREAD" : "REPLY",
            targetId: id,
            note,
          });
        return count === 1;
      });
      if (!done) return invalid({ _form: await whyNot(kind, id, moderator.id) }, 409);
      return ok({ message: "Sent back to the author with your note." });
    },

    /** Claims a pending question or reply for 15 minutes, so that no one else decides on it meanwhile. */
    async claim(viewer: Viewer, kind: "threads" | "replies", id: number): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const data = { claimedById: moderator.id, claimedAt: new Date() };
      const where = { id, status: "PENDING" as const, ...openTo(moderator.id) };
      const { count } = kind === "threads" ? await db.thread.updateMany({ where, data }) : await db.reply.updateMany({ where, data });
      if (count === 0) return invalid({ _form: await whyNot(kind, id, moderator.id) }, 409);
      return ok({ message: "Claimed for 15 minutes: other moderators see that you are on it." });
    },

    /** Gives up one's own claim. */
    async release(viewer: Viewer, kind: "threads" | "replies", id: number): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const where = { id, claimedById: moderator.id };
      const data = { claimedById: null, claimedAt: null };
      const { count } = kind === "threads" ? await db.thread.updateMany({ where, data }) : await db.reply.updateMany({ where, data });
      if (count === 0) {
        if (!(await exists(kind, id))) throw notFound("item");
        return invalid({ _form: "You don't hold a claim on this item." }, 409);
      }
      return ok({ message: "Released." });
    },

    /**
     * Reverses a decision on a question or reply: rejected or hidden → approved, approved → back to pending.
     * The reversal is logged with its reason.
     */
    async reverse(viewer: Viewer, kind: "threads" | "replies", id: number, note: string): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const now = new Date();
      const current =
        kind === "threads"
          ? await db.thread
              .findUnique({ where: { id }, select: { status: true, id: true } })
              .then((r) => r && { status: r.status, threadId: null })
          : await db.reply.findUnique({ where: { id }, select: { status: true, threadId: true } });
      if (!current) throw notFound("item");
      if (current.status === "PENDING") return invalid({ _form: "This item has no decision to reverse: it is waiting in the queue." }, 409);
      const to = current.status === "APPROVED" ? ("PENDING" as const) : ("APPROVED" as const);
      const data =
        to === "APPROVED"
          ? {
              status: to,
              approvedAt: now,
              moderationReason: null,
              moderationNote: null,
              moderatedById: moderator.id,
              moderatedAt: now,
              changesRequestedAt: null,
            }
          : { status: to, approvedAt: null, moderatedById: moderator.id, moderatedAt: now };
      const done = await db.$transaction(async (tx) => {
        const where = { id, status: current.status };
        const { count } = kind === "threads" ? await tx.thread.updateMany({ where, data }) : await tx.reply.updateMany({ where, data });
        if (count !== 1) return false;
        if (current.threadId !== null) await recountThreads(tx, current.threadId);
        if (to === "APPROVED") await tellAuthor(tx, kind, id, "approved", null, note);
        await writeAudit(tx, {
          actorId: moderator.id,
          action: "reverse",
          targetType: kind === "threads" ? "THREAD" : "REPLY",
          targetId: id,
          reason: `${current.status.toLowerCase()} → ${to.toLowerCase()}`,
          note,
        });
        return true;
      });
      if (!done) return invalid({ _form: ALREADY_DECIDED }, 409);
      return ok({
        message: to === "APPROVED" ? "Reversed: it is public now." : "Reversed: it is back in the queue, hidden from the public.",
      });
    },

    /** Revokes a physician's verification: the badge leaves every post at once; the revocation is logged. */
    async revoke(viewer: Viewer, userId: string, reason: string): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer, "reviewApplications");
      const done = await db.$transaction(async (tx) => {
        const profile = await tx.physicianProfile.findUnique({ where: { userId }, select: { id: true } });
        if (!profile) throw notFound("physician");
        const { count } = await tx.physicianProfile.updateMany({
          where: { id: profile.id, status: "VERIFIED" },
          data: { status: "REVOKED", revokedAt: new Date(), reviewReason: reason, reviewedById: moderator.id },
        });
        if (count !== 1) return null;
        await writeAudit(tx, {
          actorId: moderator.id,
          action: "revoke",
          targetType: "PHYSICIAN_APPLICATION",
          targetId: profile.id,
          reason,
        });
        return reReviewPostsOf(tx, userId, reason);
      });
      if (done === null) return invalid({ _form: "This physician is not verified (any more), so there is nothing to revoke." }, 409);
      return ok({ message: `Verification revoked. The badge is gone from every post, and ${done} published posts are back in the queue.` });
    },

    /** A member as moderators see them: history and any restriction. */
    async member(viewer: Viewer, userId: string) {
      requireModerator(viewer);
      const user = await db.user.findUnique({
        where: { id: userId },
        select: {
          physicianProfile: {
            select: {
              fullName: true,
              credentials: true,
              specialty: true,
              status: true,
              verifiedAt: true,
              registryName: true,
              registryReference: true,
              checkedOn: true,
              reverifyBy: true,
              revokedAt: true,
              reviewReason: true,
            },
          },
          id: true,
          pseudonym: true,
          role: true,
          createdAt: true,
          deletedAt: true,
          suspendedUntil: true,
          silencedUntil: true,
          restrictionMessage: true,
        },
      });
      if (!user || user.deletedAt) throw notFound("member");
      const history = (await readAuthorHistory(db, [user.id])).get(user.id);
      const now = Date.now();
      return {
        id: user.id,
        pseudonym: user.pseudonym,
        role: user.role.toLowerCase(),
        memberSince: user.createdAt,
        approved: history?.approved ?? 0,
        rejected: history?.rejected ?? 0,
        suspendedUntil: user.suspendedUntil && user.suspendedUntil.getTime() > now ? user.suspendedUntil : null,
        silencedUntil: user.silencedUntil && user.silencedUntil.getTime() > now ? user.silencedUntil : null,
        message: user.restrictionMessage,
        isStaff: user.role === "MODERATOR" || user.role === "ADMIN",
        physician: user.physicianProfile && {
          ...user.physicianProfile,
          isVerified: user.physicianProfile.status === "VERIFIED",
          isRevoked: user.physicianProfile.status === "REVOKED",
          isDue: !!user.physicianProfile.reverifyBy && user.physicianProfile.reverifyBy.getTime() < now,
          checkedOn: user.physicianProfile.checkedOn?.toISOString().slice(0, 10) ?? null,
          reverifyBy: user.physicianProfile.reverifyBy?.toISOString().slice(0, 10) ?? null,
        },
      };
    },

    /** Suspends (no posting) or silences (every post held) a member for some days, or lifts either. */
    async restrict(
      viewer: Viewer,
      userId: string,
      action: "suspend" | "silence" | "lift",
      days: number,
      message: string,
    ): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const target = await db.user.findUnique({ where: { id: userId }, select: { role: true, deletedAt: true } });
      if (!target || target.deletedAt) throw notFound("member");
      if (target.role === "MODERATOR" || target.role === "ADMIN")
        return invalid({ _form: "Moderators and admins can't be suspended or silenced here; an admin changes their role instead." }, 403);
      const until = new Date(Date.now() + days * 86_400_000);
      const data =
        action === "lift"
          ? { suspendedUntil: null, silencedUntil: null, restrictionMessage: null }
          : action === "suspend"
            ? { suspendedUntil: until, restrictionMessage: message }
            : { silencedUntil: until, restrictionMessage: message };
      await db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: userId }, data });
        await writeAudit(tx, {
          actorId: moderator.id,
          action,
          targetType: "USER",
          targetId: userId,
          reason: action === "lift" ? null : `${days} day(s)`,
          note: action === "lift" ? null : message,
        });
      });
      const word = { suspend: "Suspended", silence: "Silenced", lift: "Restrictions lifted" }[action];
      return ok({ message: action === "lift" ? `${word}.` : `${word} until ${until.toISOString().slice(0, 10)}.` });
    },

    /** Locks a thread (no new replies) or unlocks it. */
    async setLocked(viewer: Viewer, id: number, locked: boolean): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const done = await db.$transaction(async (tx) => {
        const { count } = await tx.thread.updateMany({
          where: { id, lockedAt: locked ? null : { not: null } },
          data: { lockedAt: locked ? new Date() : null },
        });
        if (count === 1)
          await writeAudit(tx, { actorId: moderator.id, action: locked ? "lock" : "unlock", targetType: "THREAD", targetId: id });
        return count === 1;
      });
      if (!done) {
        if (!(await exists("threads", id))) throw notFound("thread");
        return invalid({ _form: locked ? "This thread is already locked." : "This thread is not locked." }, 409);
      }
      return ok({ message: locked ? "Locked: the thread takes no new replies." : "Unlocked." });
    },

    /** Closes the open reports on a post without acting on the post. */
    async dismissFlags(viewer: Viewer, kind: "threads" | "replies", id: number): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const now = new Date();
      const where = kind === "threads" ? { threadId: id, status: "OPEN" as const } : { replyId: id, status: "OPEN" as const };
      const count = await db.$transaction(async (tx) => {
        const { count } = await tx.flag.updateMany({ where, data: { status: "DISMISSED", resolvedById: moderator.id, resolvedAt: now } });
        if (count > 0) {
          // A post the reports had hidden on their own comes back.
          const restore = { id, status: "HIDDEN" as const, moderationReason: HIDDEN_BY_REPORTS };
          const back = { status: "APPROVED" as const, moderationReason: null, moderatedById: moderator.id, moderatedAt: now };
          if (kind === "threads") await tx.thread.updateMany({ where: restore, data: back });
          else {
            const { count: restored } = await tx.reply.updateMany({ where: restore, data: back });
            const reply = restored === 1 ? await tx.reply.findUnique({ where: { id }, select: { threadId: true } }) : null;
            if (reply) await recountThreads(tx, reply.threadId);
          }
        }
        if (count > 0)
          await writeAudit(tx, {
            actorId: moderator.id,
            action: "dismiss-flags",
            targetType: kind === "threads" ? "THREAD" : "REPLY",
            targetId: id,
            note: `${count} report(s)`,
          });
        return count;
      });
      if (count === 0) {
        if (!(await exists(kind, id))) throw notFound("post");
        return invalid({ _form: "These reports were already closed by another moderator." }, 409);
      }
      return ok({ message: "Reports dismissed. The post stays public." });
    },

    async reject(viewer: Viewer, kind: ItemKind, id: number, reason: string, note: string): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer, kind === "applications" ? "reviewApplications" : "moderate");
      const now = new Date();
      const cleanNote = note.trim() === "" ? null : note;
      const done = await db.$transaction(async (tx) => {
        let count: number;
        const rejected = {
          status: "REJECTED" as const,
          moderationReason: reason,
          moderationNote: cleanNote,
          moderatedById: moderator.id,
          moderatedAt: now,
        };
        if (kind === "threads") {
          ({ count } = await tx.thread.updateMany({ where: { id, status: "PENDING", ...openTo(moderator.id) }, data: rejected }));
        } else if (kind === "replies") {
          ({ count } = await tx.reply.updateMany({ where: { id, status: "PENDING", ...openTo(moderator.id) }, data: rejected }));
        } else {
          ({ count } = await tx.physicianProfile.updateMany({
            where: { id, status: "PENDING" },
            data: { status: "REJECTED", reviewReason: reason, reviewNote: cleanNote, reviewedById: moderator.id },
          }));
        }
        if (count === 1) {
          const targetType = kind === "threads" ? "THREAD" : kind === "replies" ? "REPLY" : "PHYSICIAN_APPLICATION";
          await writeAudit(tx, { actorId: moderator.id, action: "reject", targetType, targetId: id, reason, note: cleanNote });
          if (kind !== "applications") await tellAuthor(tx, kind, id, "rejected", reason, cleanNote);
        }
        return count === 1;
      });
      if (!done) return invalid({ _form: await whyNot(kind, id, moderator.id) }, 409);
      return ok({ message: "Rejected. The author can see your reason and edit their text." });
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
