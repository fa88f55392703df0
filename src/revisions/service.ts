// Moderators' side of edits: pending edits approved (the post takes their text) or rejected (with a reason),
// redactions, and a post's history. A redaction replaces a post's text and erases the text of every earlier
// version, so that what was redacted appears in no history. Authors' edits are in edits.ts.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { changed, wordDiff } from "../lib/word-diff.ts";
import { writeAudit } from "../moderation/audit.ts";
import { requireModerator } from "../moderation/guard.ts";
import { recountThreads } from "../posts/activity.ts";
import { type AuthorRow, authorSelect, authorView } from "../posts/authors.ts";
import type { PostEvents } from "../posts/events.ts";
import { kindOf, type PostKind, postKinds } from "../posts/kinds.ts";
import { replyUrl, threadUrl } from "../posts/urls.ts";
import { isUrgent } from "../safety/review.ts";
import { applyText, currentText, postKey, revisionText, versionText } from "./edits.ts";

// Kept here for the modules and tests that read them from the revisions service.
export { type EditText, pendingEdit, proposeEdit, revisionText, versionText } from "./edits.ts";

export function createRevisionService(db: Database, events: PostEvents) {
  /** Decides a pending edit, guarded so that two moderators cannot both decide it. */
  async function decideEdit(
    viewer: Viewer,
    revisionId: number,
    decision: "APPROVED" | "REJECTED",
    reason: string | null,
  ): Promise<Result<{ message: string }>> {
    const moderator = requireModerator(viewer);
    const revision = await db.postRevision.findUnique({ where: { id: revisionId } });
    if (!revision) throw notFound("edit");
    const { kind, id: postId } = kindOf(revision);
    const now = new Date();
    const done = await db.$transaction(async (tx) => {
      const { count } = await tx.postRevision.updateMany({
        where: { id: revisionId, status: "PENDING" },
        data: { status: decision, reason, decidedAt: now },
      });
      if (count !== 1) return false;
      if (decision === "APPROVED") {
        await applyText(tx, kind, postId, revisionText(revision), now);
        if (isUrgent(revision.title ?? "", revision.body)) await postKinds[kind].rows(tx).setUrgent(postId, true);
      }
      await writeAudit(tx, {
        actorId: moderator.id,
        action: decision === "APPROVED" ? "approve-edit" : "reject-edit",
        targetType: postKinds[kind].target,
        targetId: postId,
        reason,
      });
      await events.emit(tx, {
        type: "post-decided",
        kind,
        id: postId,
        decision: decision === "APPROVED" ? "edit-approved" : "edit-rejected",
        reason,
      });
      return true;
    });
    if (!done) return invalid({ _form: "Another moderator has already decided on this edit." }, 409);
    return ok({ message: decision === "APPROVED" ? "Edit approved: the post now shows it." : "Edit rejected: the earlier version stays." });
  }

  return {
    /** Edits awaiting review, oldest first, with the version the public sees now. */
    async pendingEdits(viewer: Viewer) {
      requireModerator(viewer);
      const rows = await db.postRevision.findMany({
        where: { status: "PENDING" },
        orderBy: { createdAt: "asc" },
        take: 100,
        include: {
          editor: { select: { pseudonym: true } },
          thread: { select: { id: true, title: true, body: true } },
          reply: { select: { id: true, body: true, thread: { select: { id: true, title: true } } } },
        },
      });
      return rows.map((r) => ({
        id: r.id,
        kind: "edits" as const,
        editor: r.editor.pseudonym,
        submittedAt: r.createdAt,
        url: r.thread ? threadUrl(r.thread) : r.reply ? replyUrl(r.reply.thread, r.reply.id) : "/",
        threadTitle: r.thread?.title ?? r.reply?.thread.title ?? "",
        current: { title: r.thread?.title ?? null, body: r.thread?.body ?? r.reply?.body ?? "" },
        proposed: { title: r.title, body: r.body },
        /** Word by word, what the edit changes in the text as published now. */
        changes: editChanges({ title: r.thread?.title ?? null, body: r.thread?.body ?? r.reply?.body ?? "" }, r),
        /** Why it waits, as decided when it was sent (edits held before reasons were stored have none). */
        heldBecause: r.holdReasons,
        historyUrl: r.threadId ? `/moderation/threads/${r.threadId}/history` : `/moderation/replies/${r.replyId}/history`,
        redactUrl: `/moderation/edits/${r.id}/redact`,
        approveAction: `/moderation/edits/${r.id}/approve`,
        rejectAction: `/moderation/edits/${r.id}/reject`,
      }));
    },

    approveEdit: (viewer: Viewer, revisionId: number) => decideEdit(viewer, revisionId, "APPROVED", null),
    rejectEdit: (viewer: Viewer, revisionId: number, reason: string) => decideEdit(viewer, revisionId, "REJECTED", reason),

    /** What a moderator edits when redacting: a post, or an edit awaiting review. */
    async redactionTarget(viewer: Viewer, target: { kind: PostKind | "edits"; id: number }) {
      requireModerator(viewer);
      if (target.kind === "edits") {
        const r = await db.postRevision.findUnique({
          where: { id: target.id },
          select: { status: true, title: true, body: true, threadId: true },
        });
        if (!r) throw notFound("edit");
        if (r.status !== "PENDING") throw new AppError("CONFLICT", "This edit has already been decided.");
        return { isThread: r.threadId !== null, title: r.title ?? "", body: r.body, what: "edit awaiting review" };
      }
      const now = await currentText(db, target.kind, target.id);
      if (!now) throw notFound("post");
      return {
        isThread: target.kind === "threads",
        title: now.title ?? "",
        body: now.body,
        what: target.kind === "threads" ? "question" : "reply",
      };
    },

    /**
     * A moderator replaces the text of a post (typically pending, before approving it) or of a pending edit, for
     * example to take out identifying details. Every earlier version's text is erased; the log records that it
     * happened and the moderator's note, never the removed words.
     */
    async redact(
      viewer: Viewer,
      target: { kind: PostKind | "edits"; id: number },
      text: { title?: string; body: string },
      note: string,
    ): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const now = new Date();
      const done = await db.$transaction(async (tx) => {
        let kind: PostKind;
        let postId: number;
        if (target.kind === "edits") {
          const r = await tx.postRevision.findUnique({ where: { id: target.id }, select: { threadId: true, replyId: true } });
          if (!r) throw notFound("edit");
          ({ kind, id: postId } = kindOf(r));
          const { count } = await tx.postRevision.updateMany({
            where: { id: target.id, status: "PENDING" },
            data: { title: kind === "threads" ? (text.title ?? null) : null, body: text.body, byModerator: true },
          });
          if (count !== 1) return false;
          await tx.postRevision.updateMany({
            where: { ...postKey(kind, postId), id: { not: target.id }, redactedAt: null, status: { not: "PENDING" } },
            data: { title: null, body: "", redactedAt: now },
          });
        } else {
          kind = target.kind;
          postId = target.id;
          if (!(await currentText(tx, kind, postId))) throw notFound("post");
          await applyText(tx, kind, postId, { body: text.body, ...(kind === "threads" ? { title: text.title } : {}) }, now);
          const urgent = isUrgent(text.title ?? "", text.body);
          await postKinds[kind].rows(tx).setUrgent(postId, urgent);
          const erased = await tx.postRevision.updateMany({
            where: { ...postKey(kind, postId), redactedAt: null },
            data: { title: null, body: "", redactedAt: now },
          });
          // A published post keeps a history; its redacted text is now the version in force.
          if (erased.count > 0)
            await tx.postRevision.create({
              data: {
                ...postKey(kind, postId),
                editorId: moderator.id,
                byModerator: true,
                title: kind === "threads" ? (text.title ?? null) : null,
                body: text.body,
                status: "APPROVED",
                decidedAt: now,
              },
            });
          if (kind === "replies") {
            const reply = await tx.reply.findUnique({ where: { id: postId }, select: { threadId: true } });
            if (reply) await recountThreads(tx, reply.threadId);
          }
        }
        await writeAudit(tx, {
          actorId: moderator.id,
          action: "redact",
          targetType: postKinds[kind].target,
          targetId: postId,
          note,
        });
        return true;
      });
      if (!done) return invalid({ _form: "Another moderator has already decided on this edit." }, 409);
      return ok({ message: "Edited. The removed text is in no history; the log records your note." });
    },

    /** Every version of a post, newest first, for moderators. Redacted versions show no text. */
    async history(viewer: Viewer, kind: PostKind, id: number) {
      requireModerator(viewer);
      const post =
        kind === "threads"
          ? await db.thread.findUnique({ where: { id }, select: { id: true, title: true, body: true, status: true, author: authorSelect } })
          : await db.reply.findUnique({
              where: { id },
              select: { id: true, body: true, status: true, author: authorSelect, thread: { select: { id: true, title: true } } },
            });
      if (!post) throw notFound("post");
      const [revisions, log] = await Promise.all([
        db.postRevision.findMany({
          where: postKey(kind, id),
          orderBy: { id: "desc" },
          include: { editor: { select: { pseudonym: true } } },
        }),
        db.moderationLog.findMany({
          where: { targetType: postKinds[kind].target, targetId: String(id) },
          orderBy: { id: "desc" },
          take: 50,
          include: { actor: { select: { pseudonym: true } } },
        }),
      ]);
      const title = "title" in post ? post.title : `Reply in ${post.thread.title}`;
      const url = "thread" in post ? replyUrl(post.thread, post.id) : threadUrl(post);
      return {
        post: { title, url, body: post.body, status: post.status.toLowerCase(), author: authorView(post.author as AuthorRow) },
        versions: revisions.map((r) => ({
          ...versionText(r),
          status: r.status.toLowerCase(),
          editor: r.editor.pseudonym,
          byModerator: r.byModerator,
          reason: r.reason,
          createdAt: r.createdAt,
        })),
        log: log.map((e) => ({ action: e.action, actor: e.actor.pseudonym, reason: e.reason, note: e.note, createdAt: e.createdAt })),
      };
    },
  };
}

/** The title's and body's changes, each only when it changed. */
function editChanges(current: { title: string | null; body: string }, proposed: { title: string | null; body: string }) {
  const title = current.title !== null && proposed.title !== null ? wordDiff(current.title, proposed.title) : [];
  const body = wordDiff(current.body, proposed.body);
  return { title: changed(title) ? title : null, body: changed(body) ? body : null };
}
