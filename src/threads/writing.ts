// What members write in threads: asking, replying, editing a post, withdrawing a question. New posts and edits
// go through the one submit pipeline (src/posting/pipeline.ts); what is here is only what differs: who may,
// what the post must point at, and what is stored.

import { can, canSeeUnpublished, suspendedForm, suspensionMessage, unconfirmedMessage } from "../auth/permissions.ts";
import { isStaff, isVerifiedPhysician, type Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError, forbidden, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { newPostState, resubmittedState, sendPost } from "../posting/pipeline.ts";
import { publishReply, replyPath } from "../posts/activity.ts";
import type { PostEvents } from "../posts/events.ts";
import { withTypicalWait } from "../posts/typical-wait.ts";
import { replyUrl, threadUrl } from "../posts/urls.ts";
import { referencesText, storedReferences } from "../references/references.ts";
import { pendingEdit, proposeEdit } from "../revisions/edits.ts";
import { MAX_DEPTH } from "./limits.ts";
import { urlOfReply } from "./reply-position.ts";
import type { AskInput, EditReplyInput, ReplyInput } from "./schemas.ts";
import { moderationView } from "./view-models.ts";

export const WITHDRAWN_TITLE = "Question withdrawn by its author";
export const WITHDRAWN_REPLY = "[Withdrawn by its author]";

/** Rows a viewer may see in place: public ones, their own, or everything for moderators. */
function visibleTo(viewer: Viewer): Prisma.ReplyWhereInput & Prisma.ThreadWhereInput {
  if (isStaff(viewer)) return {};
  if (viewer) return { OR: [{ status: "APPROVED" }, { authorId: viewer.id }] };
  return { status: "APPROVED" };
}

/** Why a thread takes no new replies, or null when it does. */
function closedToReplies(thread: { status: string; withdrawnAt: Date | null; lockedAt: Date | null }): Result<never> | null {
  if (thread.status !== "APPROVED") return invalid({ _form: "Replies open once this question has been approved by a moderator." }, 409);
  if (thread.withdrawnAt) return invalid({ _form: "This question was withdrawn by its author, so it takes no new replies." }, 409);
  if (thread.lockedAt) return invalid({ _form: "A moderator locked this thread, so it takes no new replies." }, 409);
  return null;
}

/** A form that writes a post, and what it writes to: for asking who may use it before anything is sent. */
export type WritingForm = { ask: true } | { replyTo: number } | { editThread: number } | { editReply: number };

type ReplyParent = { id: number; depth: number; path: string; rootId: number | null; parentId: number | null };

export function createThreadWriting(
  db: Database,
  events: PostEvents,
  findAddressee: (handle: string) => Promise<{ userId: string } | null>,
) {
  async function threadForEdit(viewer: Viewer, id: number) {
    const thread = await db.thread.findUnique({ where: { id } });
    if (!thread || !canSeeUnpublished(viewer, thread.authorId)) throw notFound("thread");
    if (viewer?.id !== thread.authorId) throw forbidden("Only the author can edit this question.");
    if (thread.status === "HIDDEN") throw new AppError("CONFLICT", "A moderator hid this post, so it can't be edited.");
    if (thread.withdrawnAt) throw new AppError("CONFLICT", "This question was withdrawn, so it can't be edited.");
    const isPublic = thread.status === "APPROVED";
    const waiting = isPublic ? await pendingEdit(db, "threads", id) : null;
    return {
      kind: thread.kind,
      id: thread.id,
      url: threadUrl(thread),
      isArticle: thread.kind === "ARTICLE",
      isPublic,
      hasPendingEdit: waiting !== null,
      reviewed: !can(viewer, "publishWithoutReview"),
      values: {
        title: waiting?.title ?? thread.title,
        body: waiting?.body ?? thread.body,
        categoryId: String(waiting?.categoryId ?? thread.categoryId),
      },
      moderation: await withTypicalWait(db, moderationView(viewer, thread)),
    };
  }

  async function replyForEdit(viewer: Viewer, id: number) {
    const reply = await db.reply.findUnique({ where: { id }, include: { thread: { select: { id: true, title: true } } } });
    if (!reply || !canSeeUnpublished(viewer, reply.authorId)) throw notFound("reply");
    if (viewer?.id !== reply.authorId) throw forbidden("Only the author can edit this reply.");
    if (reply.status === "HIDDEN") throw new AppError("CONFLICT", "A moderator hid this reply, so it can't be edited.");
    const isPublic = reply.status === "APPROVED";
    const waiting = isPublic ? await pendingEdit(db, "replies", id) : null;
    return {
      id: reply.id,
      thread: { id: reply.thread.id, title: reply.thread.title, url: threadUrl(reply.thread) },
      isPublic,
      hasPendingEdit: waiting !== null,
      reviewed: !can(viewer, "publishWithoutReview"),
      values: {
        body: waiting?.body ?? reply.body,
        references: referencesText(storedReferences(waiting?.references ?? reply.references)),
      },
      canCite: isVerifiedPhysician(viewer) || storedReferences(reply.references).length > 0,
      moderation: await withTypicalWait(db, moderationView(viewer, reply)),
    };
  }

  return {
    async ask(viewer: Viewer, input: AskInput): Promise<Result<{ threadId: number; published: boolean }>> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to ask a question.");
      const unconfirmed = unconfirmedMessage(viewer);
      if (unconfirmed) return invalid({ _form: unconfirmed }, 403);
      const suspended = suspensionMessage(viewer);
      if (suspended || !can(viewer, "ask")) return invalid({ _form: suspended ?? "You can't ask questions right now." }, 403);
      const category = await db.category.findUnique({ where: { id: input.categoryId }, select: { id: true } });
      if (!category) return invalid({ categoryId: "Choose a category from the list." });
      const addressee = input.to ? await findAddressee(input.to) : null;
      if (input.to && !addressee)
        return invalid({
          to: "That physician can't take addressed questions right now. Your text is kept: send it to all physicians, or choose another.",
        });
      // The same form sent twice (a double click, a retried request) answers with the thread already made.
      const key = input._submission;
      const sent = await sendPost(db, {
        author: viewer,
        kind: "question",
        fields: { title: input.title, body: input.body },
        findSubmitted: () =>
          key
            ? db.thread.findUnique({
                where: { authorId_submissionKey: { authorId: viewer.id, submissionKey: key } },
                select: { id: true, status: true, title: true, categoryId: true, authorId: true, kind: true, addressedToId: true },
              })
            : null,
        write: async (tx, s) => {
          const created = await tx.thread.create({
            data: {
              kind: "QUESTION",
              title: input.title,
              body: input.body,
              categoryId: category.id,
              authorId: viewer.id,
              ...newPostState(s),
              lastActivityAt: s.now,
              submissionKey: key,
              addressedToId: addressee?.userId ?? null,
            },
            select: { id: true, status: true, title: true, categoryId: true, authorId: true, kind: true, addressedToId: true },
          });
          // The asker hears about replies by mail unless they turn it off on the thread.
          await tx.threadSubscription.create({ data: { userId: viewer.id, threadId: created.id } });
          return ok(created);
        },
        announce: (tx, thread) => events.emit(tx, { type: "question-published", thread }),
      });
      if (!sent.ok) return sent;
      return ok({ threadId: sent.value.post.id, published: sent.value.post.status === "APPROVED" });
    },

    async reply(viewer: Viewer, threadId: number, input: ReplyInput): Promise<Result<{ replyId: number; url: string }>> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to reply.");
      const unconfirmed = unconfirmedMessage(viewer);
      if (unconfirmed) return invalid({ _form: unconfirmed }, 403);
      const suspended = suspensionMessage(viewer);
      if (suspended || !can(viewer, "reply")) return invalid({ _form: suspended ?? "You can't reply right now." }, 403);
      const thread = await db.thread.findFirst({
        where: { id: threadId, ...visibleTo(viewer) },
        select: { id: true, title: true, status: true, withdrawnAt: true, lockedAt: true },
      });
      if (!thread) throw notFound("thread");
      const key = input._submission;
      let parent: ReplyParent | null = null;
      const sent = await sendPost(db, {
        author: viewer,
        kind: "reply",
        fields: { body: input.body },
        findSubmitted: () =>
          key
            ? db.reply.findUnique({
                where: { authorId_submissionKey: { authorId: viewer.id, submissionKey: key } },
                select: { id: true, rootId: true },
              })
            : null,
        target: async () => {
          const closed = closedToReplies(thread);
          if (closed) return closed;
          if (input.parentId === null) return null;
          const select = { id: true, depth: true, path: true, rootId: true, parentId: true } as const;
          parent = await db.reply.findFirst({ where: { id: input.parentId, threadId, status: "APPROVED" }, select });
          if (!parent)
            return invalid({
              _form: "The reply you were answering is no longer available. Your text is below; you can post it to the thread.",
            });
          // Deeper than the deepest level shown: attach beside the reply being answered.
          if (parent.depth >= MAX_DEPTH && parent.parentId !== null)
            parent = await db.reply.findUniqueOrThrow({ where: { id: parent.parentId }, select });
          return null;
        },
        write: async (tx, s) => {
          const created = await tx.reply.create({
            data: {
              threadId,
              parentId: parent?.id ?? null,
              depth: parent ? parent.depth + 1 : 0,
              authorId: viewer.id,
              body: input.body,
              references: input.references as unknown as Prisma.InputJsonValue,
              ...newPostState(s),
              submissionKey: key,
            },
            select: { id: true },
          });
          return ok(
            await tx.reply.update({
              where: { id: created.id },
              data: { path: replyPath(parent, created.id), rootId: parent?.rootId ?? created.id },
              select: { id: true, rootId: true },
            }),
          );
        },
        announce: (tx, reply, s) =>
          publishReply(tx, events, { id: reply.id, threadId, authorId: viewer.id, parentId: parent?.id ?? null }, s.now),
      });
      if (!sent.ok) return sent;
      const reply = sent.value.post;
      return ok({ replyId: reply.id, url: await urlOfReply(db, viewer, thread, reply) });
    },

    threadForEdit,

    /**
     * Whether the viewer may use a writing form now, as sending it would decide before looking at the text: for
     * a preview, which sends nothing. Asking is open to people who are signed out (they join when they send).
     */
    async mayUseForm(viewer: Viewer, form: WritingForm): Promise<Result<true>> {
      if ("editThread" in form) await threadForEdit(viewer, form.editThread);
      if ("editReply" in form) await replyForEdit(viewer, form.editReply);
      if (!viewer) return "ask" in form ? ok(true) : invalid({ _form: "You're signed out. Sign in to use this form." }, 401);
      const editing = "editThread" in form || "editReply" in form;
      if (!editing) {
        const unconfirmed = unconfirmedMessage(viewer);
        if (unconfirmed) return invalid({ _form: unconfirmed }, 403);
      }
      const suspended = suspendedForm(viewer, editing ? "edit your posts" : "post or reply");
      if (suspended || !can(viewer, "write")) return invalid(suspended ?? { _form: "You can't write on Curbside right now." }, 403);
      if ("replyTo" in form) {
        const thread = await db.thread.findFirst({
          where: { id: form.replyTo, ...visibleTo(viewer) },
          select: { status: true, withdrawnAt: true, lockedAt: true },
        });
        if (!thread) throw notFound("thread");
        return closedToReplies(thread) ?? ok(true);
      }
      return ok(true);
    },

    async editThread(viewer: Viewer, id: number, input: AskInput): Promise<Result<{ url: string; pending: boolean }>> {
      const current = await threadForEdit(viewer, id);
      const suspended = suspendedForm(viewer, "edit your posts");
      if (suspended) return invalid(suspended, 403);
      // An article's form also holds its tags and references; editing it here would drop them.
      if (current.kind === "ARTICLE") throw new AppError("CONFLICT", "Edit an article from its own form, at /articles/ID/edit.");
      const category = await db.category.findUnique({ where: { id: input.categoryId }, select: { id: true } });
      if (!category) return invalid({ categoryId: "Choose a category from the list." });
      const author = viewer as NonNullable<Viewer>; // threadForEdit / replyForEdit let only the author through
      const sent = await sendPost(db, {
        author,
        kind: "edit",
        counted: true,
        fields: { title: input.title, body: input.body },
        write: async (tx, s) => {
          if (current.isPublic) {
            const text = { title: input.title, body: input.body, categoryId: category.id };
            const { pending } = await proposeEdit(tx, author.id, "threads", id, text, s);
            return ok({ url: threadUrl({ id, title: pending ? current.values.title : input.title }), pending });
          }
          // Resubmitting puts the question back in the queue; the last decision stays in the audit log.
          const { count } = await tx.thread.updateMany({
            where: { id, authorId: author.id, status: { in: ["PENDING", "REJECTED"] } },
            data: {
              title: input.title,
              body: input.body,
              categoryId: category.id,
              ...resubmittedState(s),
            },
          });
          if (count === 0)
            return invalid({ _form: "A moderator decided on this question while you were editing. Your text is below." }, 409);
          return ok({ url: threadUrl({ id, title: input.title }), pending: true });
        },
      });
      return sent.ok ? ok(sent.value.post) : sent;
    },

    replyForEdit,

    async editReply(
      viewer: Viewer,
      id: number,
      input: Pick<EditReplyInput, "body" | "references">,
    ): Promise<Result<{ url: string; pending: boolean }>> {
      const { body, references } = input;
      const current = await replyForEdit(viewer, id);
      const suspended = suspendedForm(viewer, "edit your posts");
      if (suspended) return invalid(suspended, 403);
      const author = viewer as NonNullable<Viewer>; // threadForEdit / replyForEdit let only the author through
      const url = replyUrl(current.thread, id);
      const sent = await sendPost(db, {
        author,
        kind: "edit",
        counted: true,
        fields: { body },
        write: async (tx, s) => {
          if (current.isPublic) {
            const { pending } = await proposeEdit(tx, author.id, "replies", id, { body, references }, s);
            return ok({ url, pending });
          }
          const { count } = await tx.reply.updateMany({
            where: { id, authorId: author.id, status: { in: ["PENDING", "REJECTED"] } },
            data: {
              body,
              references: references as unknown as Prisma.InputJsonValue,
              ...resubmittedState(s),
            },
          });
          if (count === 0) return invalid({ _form: "A moderator decided on this reply while you were editing. Your text is below." }, 409);
          return ok({ url, pending: true });
        },
      });
      return sent.ok ? ok(sent.value.post) : sent;
    },

    /**
     * The author withdraws their question: its title and body, and their own replies in it, are redacted;
     * the answers stay, with a note. A pending question leaves the moderation queue.
     */
    async withdraw(viewer: Viewer, id: number): Promise<Result<{ url: string }>> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to withdraw your question.");
      const thread = await db.thread.findUnique({ where: { id }, select: { authorId: true, kind: true, withdrawnAt: true } });
      if (!thread || !canSeeUnpublished(viewer, thread.authorId)) throw notFound("thread");
      if (thread.authorId !== viewer.id) throw forbidden("Only the person who asked can withdraw a question.");
      if (thread.kind !== "QUESTION") throw forbidden("Articles can't be withdrawn this way.");
      if (thread.withdrawnAt) return ok({ url: threadUrl({ id, title: WITHDRAWN_TITLE }) });
      const now = new Date();
      await db.$transaction([
        db.thread.update({ where: { id }, data: { title: WITHDRAWN_TITLE, body: "", withdrawnAt: now, updatedAt: now, urgent: false } }),
        db.reply.updateMany({
          where: { threadId: id, authorId: viewer.id },
          data: { body: WITHDRAWN_REPLY, updatedAt: now, urgent: false },
        }),
      ]);
      return ok({ url: threadUrl({ id, title: WITHDRAWN_TITLE }) });
    },
  };
}
