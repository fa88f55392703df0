// Moderators' decisions on posts: approve, reject, hide, request changes, claim, reverse, lock, dismiss reports.
// Each decision is guarded in its WHERE clause, so when two moderators act on one item only the first succeeds;
// the second is told it was already decided. Authors hear of decisions, and readers of published posts, through
// the post events.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { publishReply, recountThreads } from "../posts/activity.ts";
import type { Decision, PostEvents } from "../posts/events.ts";
import { type PostKind, postKinds } from "../posts/kinds.ts";
import { REPORT_HOLDS } from "../posts/report-holds.ts";
import { writeAudit } from "./audit.ts";
import { ALREADY_DECIDED, exists, type ItemKind, openTo, requireModerator, whyNot } from "./guard.ts";
import { provenanceColumns, provenanceNote, type VerifyInput } from "./schemas.ts";

/** A post a moderator can hide: a public one, or one that reports (or a physician's report) hid until review. */
const publicOrHiddenByReports = {
  OR: [{ status: "APPROVED" as const }, { status: "HIDDEN" as const, moderationReason: { in: [...REPORT_HOLDS] } }],
};

export function createModerationDecisions(db: Database, events: PostEvents) {
  /** Tells a post's author about a moderator's decision on it, with the reason and a link. */
  const tellAuthor = (
    tx: Prisma.TransactionClient,
    kind: PostKind,
    id: number,
    decision: Decision,
    reason: string | null = null,
    note: string | null = null,
  ) => events.emit(tx, { type: "post-decided", kind, id, decision, reason, note });

  const decisions = {
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
            await events.emit(tx, { type: "question-published", thread });
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
            await publishReply(tx, events, reply, now);
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
            ...provenanceColumns(provenance),
            revokedAt: null,
          },
        });
        if (count === 1)
          await writeAudit(tx, {
            actorId: moderator.id,
            action: "verify",
            targetType: "PHYSICIAN_APPLICATION",
            targetId: id,
            note: provenanceNote(provenance),
          });
        return count === 1;
      });
      if (!done) return invalid({ _form: await whyNot(db, kind, id, moderator.id) }, 409);
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
        const post = await postKinds[kind].rows(tx).find(id);
        const { count } = await postKinds[kind].rows(tx).updateMany({ where: { id, ...publicOrHiddenByReports }, data });
        if (count !== 1 || !post) return false;
        await tx.flag.updateMany({
          where: { ...postKinds[kind].key(id), status: "OPEN" },
          data: { status: "UPHELD", resolvedById: moderator.id, resolvedAt: now },
        });
        // A hidden reply leaves its thread's counts.
        if (kind === "replies") await recountThreads(tx, post.threadId);
        await tellAuthor(tx, kind, id, "hidden", reason, cleanNote);
        await writeAudit(tx, {
          actorId: moderator.id,
          action: "hide",
          targetType: postKinds[kind].target,
          targetId: id,
          reason,
          note: cleanNote,
        });
        return true;
      });
      if (!done) {
        if (!(await exists(db, kind, id))) throw notFound("post");
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
        const { count } = await postKinds[kind].rows(tx).updateMany({ where, data });
        if (count === 1) await tellAuthor(tx, kind, id, "changes", null, note);
        if (count === 1)
          await writeAudit(tx, {
            actorId: moderator.id,
            action: "request-changes",
            targetType: postKinds[kind].target,
            targetId: id,
            note,
          });
        return count === 1;
      });
      if (!done) return invalid({ _form: await whyNot(db, kind, id, moderator.id) }, 409);
      return ok({ message: "Sent back to the author with your note." });
    },

    /** Claims a pending question or reply for 15 minutes, so that no one else decides on it meanwhile. */
    async claim(viewer: Viewer, kind: "threads" | "replies", id: number): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const data = { claimedById: moderator.id, claimedAt: new Date() };
      const where = { id, status: "PENDING" as const, ...openTo(moderator.id) };
      const { count } = await postKinds[kind].rows(db).updateMany({ where, data });
      if (count === 0) return invalid({ _form: await whyNot(db, kind, id, moderator.id) }, 409);
      return ok({ message: "Claimed for 15 minutes: other moderators see that you are on it." });
    },

    /** Gives up one's own claim. */
    async release(viewer: Viewer, kind: "threads" | "replies", id: number): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const where = { id, claimedById: moderator.id };
      const data = { claimedById: null, claimedAt: null };
      const { count } = await postKinds[kind].rows(db).updateMany({ where, data });
      if (count === 0) {
        if (!(await exists(db, kind, id))) throw notFound("item");
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
      const current = await postKinds[kind].rows(db).find(id);
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
        const { count } = await postKinds[kind].rows(tx).updateMany({ where, data });
        if (count !== 1) return false;
        if (kind === "replies") await recountThreads(tx, current.threadId);
        if (to === "APPROVED") await tellAuthor(tx, kind, id, "approved", null, note);
        await writeAudit(tx, {
          actorId: moderator.id,
          action: "reverse",
          targetType: postKinds[kind].target,
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
        if (!(await exists(db, "threads", id))) throw notFound("thread");
        return invalid({ _form: locked ? "This thread is already locked." : "This thread is not locked." }, 409);
      }
      return ok({ message: locked ? "Locked: the thread takes no new replies." : "Unlocked." });
    },

    /**
     * Closes the open reports on a post without acting on the post. A post that reports (or a physician's
     * report) hid until review is restored, and its author told.
     */
    async dismissFlags(viewer: Viewer, kind: "threads" | "replies", id: number): Promise<Result<{ message: string; restored: boolean }>> {
      const moderator = requireModerator(viewer);
      const now = new Date();
      const where = { ...postKinds[kind].key(id), status: "OPEN" as const };
      const outcome = await db.$transaction(async (tx) => {
        const { count } = await tx.flag.updateMany({ where, data: { status: "DISMISSED", resolvedById: moderator.id, resolvedAt: now } });
        if (count === 0) return null;
        const restore = { id, status: "HIDDEN" as const, moderationReason: { in: [...REPORT_HOLDS] } };
        const back = { status: "APPROVED" as const, moderationReason: null, moderatedById: moderator.id, moderatedAt: now };
        const { count: restored } = await postKinds[kind].rows(tx).updateMany({ where: restore, data: back });
        if (restored === 1) {
          const reply = kind === "replies" ? await tx.reply.findUnique({ where: { id }, select: { threadId: true } }) : null;
          if (reply) await recountThreads(tx, reply.threadId);
          await tellAuthor(tx, kind, id, "approved", "A moderator reviewed the reports and restored it");
        }
        await writeAudit(tx, {
          actorId: moderator.id,
          action: restored === 1 ? "restore" : "dismiss-flags",
          targetType: postKinds[kind].target,
          targetId: id,
          note: `${count} report(s) dismissed${restored === 1 ? "; the post is public again" : ""}`,
        });
        return { restored: restored === 1 };
      });
      if (!outcome) {
        if (!(await exists(db, kind, id))) throw notFound("post");
        return invalid({ _form: "These reports were already closed by another moderator." }, 409);
      }
      return ok({
        message: outcome.restored
          ? "Restored: the post is public again, and its author told."
          : "Reports dismissed. The post stays public.",
        restored: outcome.restored,
      });
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
        if (kind !== "applications") {
          ({ count } = await postKinds[kind]
            .rows(tx)
            .updateMany({ where: { id, status: "PENDING", ...openTo(moderator.id) }, data: rejected }));
        } else {
          ({ count } = await tx.physicianProfile.updateMany({
            where: { id, status: "PENDING" },
            data: { status: "REJECTED", reviewReason: reason, reviewNote: cleanNote, reviewedById: moderator.id },
          }));
        }
        if (count === 1) {
          const targetType = kind === "applications" ? "PHYSICIAN_APPLICATION" : postKinds[kind].target;
          await writeAudit(tx, { actorId: moderator.id, action: "reject", targetType, targetId: id, reason, note: cleanNote });
          if (kind !== "applications") await tellAuthor(tx, kind, id, "rejected", reason, cleanNote);
        }
        return count === 1;
      });
      if (!done) return invalid({ _form: await whyNot(db, kind, id, moderator.id) }, 409);
      return ok({ message: "Rejected. The author can see your reason and edit their text." });
    },
  };
  return {
    ...decisions,
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
            ? await decisions.approve(viewer, item.kind, item.id).catch(unknownIsSkipped)
            : await decisions.reject(viewer, item.kind, item.id, reason, note).catch(unknownIsSkipped);
        if (result?.ok) done++;
        else skipped++;
      }
      return { done, skipped };
    },
  };
}
