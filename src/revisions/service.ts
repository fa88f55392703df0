// Edits of published posts and moderators' redactions. An author's edit of a public post waits for review as
// a pending revision while the approved version stays visible; a moderator approves it (the post takes its
// text) or rejects it (with a reason). A redaction replaces a post's text and erases the text of every
// earlier version, so that what was redacted appears in no history.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { writeAudit } from "../moderation/audit.ts";
import { requireModerator } from "../moderation/service.ts";
import { decisionMade, postUrl } from "../notifications/service.ts";
import { type Reference, referenceList } from "../references/references.ts";
import { isUrgent } from "../safety/review.ts";
import { authorSelect, recountThreads } from "../threads/service.ts";
import { type AuthorRow, authorView, threadUrl } from "../threads/view-models.ts";

type Tx = Prisma.TransactionClient;
export type PostKind = "threads" | "replies";

export interface EditText {
  title?: string;
  body: string;
  categoryId?: number;
  /** An article's tags. */
  tags?: string[];
  /** An answer's or an article's references. */
  references?: Reference[];
}

/** The text fields a revision row keeps for an edit. */
function revisionFields(text: EditText) {
  return {
    title: text.title ?? null,
    body: text.body,
    categoryId: text.categoryId ?? null,
    tags: text.tags ?? [],
    ...(text.references !== undefined ? { references: text.references as unknown as Prisma.InputJsonValue } : {}),
  };
}

/** A revision row's text, as an edit to apply. */
export function revisionText(r: {
  title: string | null;
  body: string;
  categoryId: number | null;
  tags: string[];
  references: unknown;
}): EditText {
  return {
    body: r.body,
    title: r.title ?? undefined,
    categoryId: r.categoryId ?? undefined,
    tags: r.tags.length > 0 ? r.tags : undefined,
    references: Array.isArray(r.references) ? (r.references as Reference[]) : undefined,
  };
}

const postKey = (kind: PostKind, id: number) => (kind === "threads" ? { threadId: id } : { replyId: id });

/** A version's text for a history page; a redacted version shows none of it. */
export function versionText(r: { title: string | null; body: string; tags: string[]; references: unknown; redactedAt: Date | null }) {
  const redacted = r.redactedAt !== null;
  return {
    title: redacted ? null : r.title,
    body: redacted ? null : r.body,
    tags: redacted ? [] : r.tags,
    references: redacted ? [] : referenceList(r.references),
    redacted,
  };
}

/** The post's text now, as a revision row would hold it. */
async function currentText(tx: Tx, kind: PostKind, id: number) {
  if (kind === "threads") {
    const t = await tx.thread.findUnique({
      where: { id },
      select: {
        title: true,
        body: true,
        categoryId: true,
        tags: true,
        references: true,
        authorId: true,
        approvedAt: true,
        createdAt: true,
      },
    });
    return (
      t && {
        title: t.title,
        body: t.body,
        categoryId: t.categoryId,
        tags: t.tags,
        references: t.references,
        authorId: t.authorId,
        since: t.approvedAt ?? t.createdAt,
      }
    );
  }
  const r = await tx.reply.findUnique({
    where: { id },
    select: { body: true, references: true, authorId: true, approvedAt: true, createdAt: true },
  });
  return (
    r && {
      title: null,
      body: r.body,
      categoryId: null,
      tags: [],
      references: r.references,
      authorId: r.authorId,
      since: r.approvedAt ?? r.createdAt,
    }
  );
}

/** The first edit of a published post keeps its published version in the history. */
async function keepOriginal(tx: Tx, kind: PostKind, id: number) {
  if ((await tx.postRevision.count({ where: postKey(kind, id) })) > 0) return;
  const now = await currentText(tx, kind, id);
  if (!now) return;
  await tx.postRevision.create({
    data: {
      ...postKey(kind, id),
      editorId: now.authorId,
      title: now.title,
      body: now.body,
      categoryId: now.categoryId,
      tags: now.tags,
      references: now.references ?? [],
      status: "APPROVED",
      createdAt: now.since,
      decidedAt: now.since,
    },
  });
}

/** Applies a revision's text to its post. */
async function applyText(tx: Tx, kind: PostKind, id: number, text: EditText, at: Date) {
  if (kind === "threads") {
    await tx.thread.update({
      where: { id },
      data: {
        body: text.body,
        ...(text.title !== undefined ? { title: text.title } : {}),
        ...(text.categoryId !== undefined ? { categoryId: text.categoryId } : {}),
        ...(text.tags !== undefined ? { tags: text.tags } : {}),
        ...(text.references !== undefined ? { references: text.references as unknown as Prisma.InputJsonValue } : {}),
        updatedAt: at,
      },
    });
  } else {
    await tx.reply.update({
      where: { id },
      data: {
        body: text.body,
        ...(text.references !== undefined ? { references: text.references as unknown as Prisma.InputJsonValue } : {}),
        updatedAt: at,
      },
    });
  }
}

/**
 * An author edits their published post. Published at once for those who publish without review (the
 * edit is kept in the history); otherwise it waits as a pending revision, replacing any earlier pending one.
 */
export async function proposeEdit(
  db: Database,
  authorId: string,
  kind: PostKind,
  id: number,
  text: EditText,
  publish: boolean,
): Promise<{ pending: boolean }> {
  const now = new Date();
  await db.$transaction(async (tx) => {
    await keepOriginal(tx, kind, id);
    const fields = revisionFields(text);
    if (publish) {
      await tx.postRevision.deleteMany({ where: { ...postKey(kind, id), status: "PENDING" } });
      await tx.postRevision.create({ data: { ...postKey(kind, id), editorId: authorId, ...fields, status: "APPROVED", decidedAt: now } });
      await applyText(tx, kind, id, text, now);
      return;
    }
    const { count } = await tx.postRevision.updateMany({
      where: { ...postKey(kind, id), status: "PENDING" },
      data: { ...fields, createdAt: now, byModerator: false },
    });
    if (count === 0) await tx.postRevision.create({ data: { ...postKey(kind, id), editorId: authorId, ...fields, status: "PENDING" } });
  });
  return { pending: !publish };
}

/** The author's edit awaiting review on a post, if any. */
export async function pendingEdit(db: Database, kind: PostKind, id: number) {
  return db.postRevision.findFirst({
    where: { ...postKey(kind, id), status: "PENDING" },
    select: { id: true, title: true, body: true, categoryId: true, tags: true, references: true, createdAt: true },
  });
}

export function createRevisionService(db: Database) {
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
    const kind: PostKind = revision.threadId ? "threads" : "replies";
    const postId = (revision.threadId ?? revision.replyId) as number;
    const now = new Date();
    const done = await db.$transaction(async (tx) => {
      const { count } = await tx.postRevision.updateMany({
        where: { id: revisionId, status: "PENDING" },
        data: { status: decision, reason, decidedAt: now },
      });
      if (count !== 1) return false;
      if (decision === "APPROVED") {
        await applyText(tx, kind, postId, revisionText(revision), now);
        if (isUrgent(revision.title ?? "", revision.body)) {
          if (kind === "threads") await tx.thread.update({ where: { id: postId }, data: { urgent: true } });
          else await tx.reply.update({ where: { id: postId }, data: { urgent: true } });
        }
      }
      await writeAudit(tx, {
        actorId: moderator.id,
        action: decision === "APPROVED" ? "approve-edit" : "reject-edit",
        targetType: kind === "threads" ? "THREAD" : "REPLY",
        targetId: postId,
        reason,
      });
      const post = await postUrl(tx, kind, postId);
      if (post)
        await decisionMade(tx, {
          userId: post.authorId,
          decision: decision === "APPROVED" ? "edit-approved" : "edit-rejected",
          what: post.what,
          reason,
          url: post.url,
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
        url: r.thread ? threadUrl(r.thread) : r.reply ? `${threadUrl(r.reply.thread)}#reply-${r.reply.id}` : "/",
        threadTitle: r.thread?.title ?? r.reply?.thread.title ?? "",
        current: { title: r.thread?.title ?? null, body: r.thread?.body ?? r.reply?.body ?? "" },
        proposed: { title: r.title, body: r.body },
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
          kind = r.threadId ? "threads" : "replies";
          postId = (r.threadId ?? r.replyId) as number;
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
          if (kind === "threads") await tx.thread.update({ where: { id: postId }, data: { urgent } });
          else await tx.reply.update({ where: { id: postId }, data: { urgent } });
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
          targetType: kind === "threads" ? "THREAD" : "REPLY",
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
          where: { targetType: kind === "threads" ? "THREAD" : "REPLY", targetId: String(id) },
          orderBy: { id: "desc" },
          take: 50,
          include: { actor: { select: { pseudonym: true } } },
        }),
      ]);
      const title = "title" in post ? post.title : `Reply in ${post.thread.title}`;
      const url = "thread" in post ? `${threadUrl(post.thread)}#reply-${post.id}` : threadUrl(post);
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
