// Reports of posts by signed-in people. An emergency report, or the configured number of open reports, marks
// the post urgent so that it leads the moderation queue, or hides it until review when the admins chose that.
// Every report ends upheld (the post was hidden) or dismissed.
import { suspendedForm } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { isUniqueViolation } from "../lib/db-errors.ts";
import { AppError, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { excerpt } from "../lib/markdown.ts";
import { recountThreads } from "../posts/activity.ts";
import { replyUrl, threadUrl } from "../posts/urls.ts";
import { loadSettings } from "../settings/service.ts";
import type { FlagReasonKey } from "./schemas.ts";

export type FlagTarget = { kind: "threads"; id: number } | { kind: "replies"; id: number };

/** The reason shown on a post hidden automatically by reports, until a moderator decides. */
/** A reporter's account must be this old (and have an approved post) for their report to count toward hiding. */
export const ESTABLISHED_AFTER_MS = 24 * 3600 * 1000;

export const HIDDEN_BY_REPORTS = "Hidden after several reports, until a moderator reviews them";

export function createFlagService(db: Database) {
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
      const reporterId = viewer?.id as string;
      const where = t.kind === "threads" ? { threadId: t.id } : { replyId: t.id };
      try {
        await db.flag.create({ data: { reporterId, ...where, reason, note: note.trim() === "" ? null : note } });
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
      const [open, settings] = await Promise.all([
        db.flag.count({ where: { ...where, status: "OPEN", reporter: established } }),
        loadSettings(db),
      ]);
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
