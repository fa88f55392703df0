// Reports of posts by signed-in people. An emergency report, or the configured number of open reports, marks
// the post urgent so that it leads the moderation queue, or hides it until review when the admins chose that.
// A "medical misinformation" report from a physician in good standing hides the post at once, until a
// moderator restores it or keeps it hidden. Every report ends upheld (the post was hidden) or dismissed.
import { suspendedForm } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { isUniqueViolation } from "../lib/db-errors.ts";
import { AppError, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { excerpt } from "../lib/markdown.ts";
import { verificationStanding } from "../lib/verification.ts";
import { recountThreads } from "../posts/activity.ts";
import type { PostEvents } from "../posts/events.ts";
import { HIDDEN_BY_PHYSICIAN_REPORT, HIDDEN_BY_REPORTS } from "../posts/report-holds.ts";
import { replyUrl, threadUrl } from "../posts/urls.ts";
import { loadSettings, type Settings } from "../settings/service.ts";
import type { FlagReasonKey } from "./schemas.ts";

export { HIDDEN_BY_REPORTS };

export type FlagTarget = { kind: "threads"; id: number } | { kind: "replies"; id: number };

/** A reporter's account must be this old (and have an approved post) for their report to count toward hiding. */
export const ESTABLISHED_AFTER_MS = 24 * 3600 * 1000;

/**
 * Whether this reporter's misinformation report hides a post at once: a physician whose verification stands
 * now (verified, not revoked, not lapsed past the re-check date and grace period) and who is not suspended.
 * Read from the database, not the session, so that a revocation or lapse counts at once.
 */
async function mayHideAtOnce(db: Database, viewer: NonNullable<Viewer>, settings: Settings): Promise<boolean> {
  if (suspendedForm(viewer)) return false;
  const profile = await db.physicianProfile.findUnique({
    where: { userId: viewer.id },
    select: { status: true, revokedAt: true, reverifyBy: true, user: { select: { deletedAt: true } } },
  });
  if (profile?.status !== "VERIFIED" || profile.revokedAt || profile.user.deletedAt) return false;
  return verificationStanding(profile.reverifyBy, settings.verificationGraceDays) !== "lapsed";
}

export function createFlagService(db: Database, events: PostEvents) {
  /** The post as the reporter sees it; only public posts of other people can be reported. */
  async function target(viewer: Viewer, t: FlagTarget) {
    if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to report a post.");
    if (t.kind === "threads") {
      const thread = await db.thread.findFirst({
        where: { id: t.id, status: "APPROVED" },
        select: { id: true, title: true, body: true, authorId: true },
      });
      if (!thread) throw notFound("post");
      return {
        authorId: thread.authorId,
        threadId: thread.id,
        title: thread.title,
        excerpt: excerpt(thread.body, 240),
        backUrl: threadUrl(thread),
      };
    }
    const reply = await db.reply.findFirst({
      where: { id: t.id, status: "APPROVED", thread: { status: "APPROVED" } },
      select: { id: true, body: true, authorId: true, thread: { select: { id: true, title: true } } },
    });
    if (!reply) throw notFound("post");
    return {
      authorId: reply.authorId,
      threadId: reply.thread.id,
      title: reply.thread.title,
      excerpt: excerpt(reply.body, 240),
      backUrl: replyUrl(reply.thread, reply.id),
    };
  }

  /**
   * A physician's misinformation report: the report is kept and the post hidden in one transaction, and its
   * author told in the app (never by mail: the reason is health content). Null when this report may not hide
   * the post, and it is filed as any other: a moderator already restored the post after a physician's report
   * (their decision stands), or someone reported it as an emergency (hiding a cry for help helps no one).
   */
  async function hideForPhysician(
    t: FlagTarget,
    threadId: number,
    reporterId: string,
    note: string | null,
  ): Promise<"hidden" | "already" | null> {
    const key = t.kind === "threads" ? { threadId: t.id } : { replyId: t.id };
    const stands = await db.flag.count({
      where: {
        ...key,
        OR: [
          { hidesPost: true, status: "DISMISSED" },
          { reason: "EMERGENCY", status: "OPEN" },
        ],
      },
    });
    if (stands > 0) return null;
    const data = {
      urgent: true,
      status: "HIDDEN" as const,
      moderationReason: HIDDEN_BY_PHYSICIAN_REPORT,
      moderationNote: null,
      moderatedById: null,
    };
    try {
      return await db.$transaction(async (tx: Prisma.TransactionClient) => {
        await tx.flag.create({ data: { reporterId, ...key, reason: "MISINFORMATION", note, hidesPost: true } });
        // Guarded: only a public post is hidden; one hidden meanwhile keeps its own reason.
        const { count } =
          t.kind === "threads"
            ? await tx.thread.updateMany({ where: { id: t.id, status: "APPROVED" }, data })
            : await tx.reply.updateMany({ where: { id: t.id, status: "APPROVED" }, data });
        if (count === 1) {
          if (t.kind === "replies") await recountThreads(tx, threadId);
          await events.emit(tx, { type: "post-decided", kind: t.kind, id: t.id, decision: "reported" });
        }
        return "hidden" as const;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return "already";
      throw error;
    }
  }

  return {
    async reportable(viewer: Viewer, t: FlagTarget) {
      const post = await target(viewer, t);
      if (post.authorId === viewer?.id)
        throw new AppError("FORBIDDEN", "You can't report your own post. You can edit or withdraw it instead.");
      return post;
    },

    async report(
      viewer: Viewer,
      t: FlagTarget,
      reason: FlagReasonKey,
      note: string,
    ): Promise<Result<{ backUrl: string; already: boolean }>> {
      const post = await this.reportable(viewer, t);
      const suspended = suspendedForm(viewer, "report posts");
      if (suspended) return invalid(suspended, 403);
      const reporter = viewer as NonNullable<Viewer>;
      const where = t.kind === "threads" ? { threadId: t.id } : { replyId: t.id };
      const settings = await loadSettings(db);
      const cleanNote = note.trim() === "" ? null : note;
      if (reason === "MISINFORMATION" && (await mayHideAtOnce(db, reporter, settings))) {
        const hidden = await hideForPhysician(t, post.threadId, reporter.id, cleanNote);
        if (hidden !== null) return ok({ backUrl: post.backUrl, already: hidden === "already" });
      }
      try {
        await db.flag.create({ data: { reporterId: reporter.id, ...where, reason, note: cleanNote } });
      } catch (error) {
        if (isUniqueViolation(error)) return ok({ backUrl: post.backUrl, already: true });
        throw error;
      }
      // Only established reporters count toward the threshold: accounts older than a day with an approved post,
      // so that a few new accounts can't hide a physician's answer. An emergency report escalates whoever sends it.
      const established = {
        createdAt: { lt: new Date(Date.now() - ESTABLISHED_AFTER_MS) },
        OR: [{ threads: { some: { status: "APPROVED" as const } } }, { replies: { some: { status: "APPROVED" as const } } }],
      };
      const open = await db.flag.count({ where: { ...where, status: "OPEN", reporter: established } });
      if (reason === "EMERGENCY" || open >= settings.flagThreshold) {
        // Escalate: the post leads the queue. Or, if the admins chose so, it is also hidden until a moderator
        // reviews the reports (an emergency report escalates only: hiding a cry for help helps no one).
        const hide = reason !== "EMERGENCY" && settings.flagAction === "HIDE" && open >= settings.flagThreshold;
        const data = hide
          ? { urgent: true, status: "HIDDEN" as const, moderationReason: HIDDEN_BY_REPORTS, moderationNote: null, moderatedById: null }
          : { urgent: true };
        await db.$transaction(async (tx) => {
          if (t.kind === "threads") await tx.thread.updateMany({ where: { id: t.id, status: "APPROVED" }, data });
          else {
            const { count } = await tx.reply.updateMany({ where: { id: t.id, status: "APPROVED" }, data });
            if (hide && count === 1) await recountThreads(tx, post.threadId);
          }
        });
      }
      return ok({ backUrl: post.backUrl, already: false });
    },
  };
}
