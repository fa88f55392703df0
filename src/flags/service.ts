// Reports of posts by signed-in people. An emergency report, or ESCALATE_AT open reports, marks the post
// urgent so that it leads the moderation queue. Every report ends upheld (the post was hidden) or dismissed.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, notFound, ok, type Result } from "../lib/errors.ts";
import { excerpt } from "../lib/markdown.ts";
import { isUniqueViolation } from "../threads/service.ts";
import { threadUrl } from "../threads/view-models.ts";
import { ESCALATE_AT, type FlagReasonKey } from "./schemas.ts";

export type FlagTarget = { kind: "threads"; id: number } | { kind: "replies"; id: number };

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
      return { authorId: thread.authorId, title: thread.title, excerpt: excerpt(thread.body, 240), backUrl: threadUrl(thread) };
    }
    const reply = await db.reply.findFirst({
      where: { id: t.id, status: "APPROVED", thread: { status: "APPROVED" } },
      select: { id: true, body: true, authorId: true, thread: { select: { id: true, title: true } } },
    });
    if (!reply) throw notFound("post");
    return {
      authorId: reply.authorId,
      title: reply.thread.title,
      excerpt: excerpt(reply.body, 240),
      backUrl: `${threadUrl(reply.thread)}#reply-${reply.id}`,
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
      const reporterId = viewer?.id as string;
      const where = t.kind === "threads" ? { threadId: t.id } : { replyId: t.id };
      try {
        await db.flag.create({ data: { reporterId, ...where, reason, note: note.trim() === "" ? null : note } });
      } catch (error) {
        if (isUniqueViolation(error)) return ok({ backUrl: post.backUrl, already: true });
        throw error;
      }
      const open = await db.flag.count({ where: { ...where, status: "OPEN" } });
      if (reason === "EMERGENCY" || open >= ESCALATE_AT) {
        if (t.kind === "threads") await db.thread.update({ where: { id: t.id }, data: { urgent: true } });
        else await db.reply.update({ where: { id: t.id }, data: { urgent: true } });
      }
      return ok({ backUrl: post.backUrl, already: false });
    },
  };
}
