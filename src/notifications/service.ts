// In-app notifications and the mail that goes with them. Every function here is called inside the transaction
// that publishes something, so nothing unapproved is ever notified and nothing published is missed.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { NotificationKind } from "../generated/prisma/enums.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { queueMail } from "../mail/outbox.ts";
import { type AuthorRow, authorSelect, authorView } from "../posts/authors.ts";
import type { Decision } from "../posts/events.ts";
import type { PostKind } from "../posts/kinds.ts";
import { replyPathWithoutSlug, replyUrl, threadUrl } from "../posts/urls.ts";
import { notificationLine, visibleTitles } from "./titles.ts";

type Tx = Prisma.TransactionClient;

/**
 * A thread's address without its title's slug: a notification outlives the title (an edit, a withdrawal, a
 * redaction), so it points at /t/ID and the thread page names its current address. Query and fragment stay.
 */
export function withoutTitle(url: string): string {
  return url.replace(/^\/t\/(\d+)\/[^?#]*/, "/t/$1");
}

export const NOTIFICATIONS_PER_PAGE = 30;

/**
 * What a notification is about, for the app's list: the line with `{title}` where the post's current title goes
 * (shown only while the reader may see that post: see titles.ts), and the thread and reply it names.
 */
export interface About {
  titled: string;
  threadId: number;
  replyId?: number | null;
}

export async function notify(
  tx: Tx,
  n: { userId: string; kind: NotificationKind; message: string; detail?: string | null; url: string; about?: About },
): Promise<void> {
  await tx.notification.create({
    data: {
      userId: n.userId,
      kind: n.kind,
      message: n.message,
      detail: n.detail ?? null,
      url: withoutTitle(n.url),
      titledMessage: n.about?.titled ?? null,
      threadId: n.about?.threadId ?? null,
      replyId: n.about?.replyId ?? null,
    },
  });
}

/** Queues a mail. Its text never carries health content: who did what, and the link. */
async function enqueueMail(
  tx: Tx,
  mail: { userId: string; email: string; subject: string; text: string; path: string; threadId?: number; unsubscribeList?: "questions" },
): Promise<void> {
  await queueMail(tx, {
    userId: mail.userId,
    to: mail.email,
    subject: mail.subject,
    text: mail.text,
    path: mail.path,
    threadId: mail.threadId,
    unsubscribeList: mail.unsubscribeList,
  });
}

/**
 * A reply has just become public: tell the question's author and the author of the reply it answers (in the
 * app), and mail the thread's subscribers. The reply's own author hears nothing about their own reply.
 */
export async function replyPublished(tx: Tx, reply: { id: number; threadId: number; authorId: string; parentId: number | null }) {
  // One after another: a transaction is one connection, which runs one statement at a time.
  const thread = await tx.thread.findUnique({
    where: { id: reply.threadId },
    select: { id: true, title: true, authorId: true, kind: true },
  });
  const author = await tx.user.findUnique({ where: { id: reply.authorId }, ...authorSelect });
  const parent = reply.parentId ? await tx.reply.findUnique({ where: { id: reply.parentId }, select: { authorId: true } }) : null;
  const subscribers = await tx.threadSubscription.findMany({
    where: { threadId: reply.threadId, userId: { not: reply.authorId }, user: { deletedAt: null } },
    select: { user: { select: { id: true, email: true } } },
  });
  if (!thread || !author) return;
  const url = replyUrl(thread, reply.id);
  const { name, badge } = authorView(author as AuthorRow);
  const byPhysician = badge !== null;
  const told = new Set<string>([reply.authorId]);
  if (parent && !told.has(parent.authorId)) {
    told.add(parent.authorId);
    await notify(tx, {
      userId: parent.authorId,
      kind: "REPLY_TO_REPLY",
      message: `${name} replied to your reply`,
      url,
      about: { titled: `${name} replied to your reply in {title}`, threadId: thread.id, replyId: reply.id },
    });
  }
  if (!told.has(thread.authorId)) {
    told.add(thread.authorId);
    const what = thread.kind === "ARTICLE" ? "article" : "question";
    const verb = byPhysician && what === "question" ? "answered" : "replied to";
    await notify(tx, {
      userId: thread.authorId,
      kind: "REPLY_TO_QUESTION",
      message: `${name} replied to your ${what}`,
      url,
      about: { titled: `${name} ${verb} your ${what} {title}`, threadId: thread.id, replyId: reply.id },
    });
  }
  for (const { user } of subscribers) {
    const isAsker = user.id === thread.authorId;
    await enqueueMail(tx, {
      userId: user.id,
      email: user.email,
      subject: byPhysician && isAsker ? "A physician replied to your question" : "New reply in a thread you follow",
      text:
        byPhysician && isAsker
          ? "A physician replied to your question on Curbside. Sign in to read the reply:"
          : "Someone replied in a thread you follow on Curbside. Sign in to read the reply:",
      // No slug in mail: a thread's slug is made from its title, which is health content.
      path: replyPathWithoutSlug(thread.id, reply.id),
      threadId: thread.id,
    });
  }
}

/** A notification for a physician about a new question, and the same by mail when `mail` (no health content). */
async function tellPhysician(
  tx: Tx,
  physician: { userId: string; user: { email: string } },
  mail: boolean,
  n: { kind: NotificationKind; message: string; about: About; url: string; subject: string; text: string; path: string },
) {
  await notify(tx, { userId: physician.userId, kind: n.kind, message: n.message, about: n.about, url: n.url });
  if (mail)
    await enqueueMail(tx, {
      userId: physician.userId,
      email: physician.user.email,
      subject: n.subject,
      text: n.text,
      path: n.path,
      unsubscribeList: "questions",
    });
}

/**
 * A question has just become public: the physician it is addressed to hears first (and by mail unless they
 * turned mail off); physicians who follow its category hear about it too.
 */
export async function questionPublished(
  tx: Tx,
  thread: { id: number; title: string; categoryId: number; authorId: string; kind: string; addressedToId?: string | null },
) {
  if (thread.kind !== "QUESTION") return;
  const url = threadUrl(thread);
  if (thread.addressedToId) {
    const addressee = await tx.physicianProfile.findFirst({
      where: { userId: thread.addressedToId, status: "VERIFIED", user: { deletedAt: null } },
      select: { userId: true, questionMail: true, user: { select: { email: true } } },
    });
    if (addressee)
      await tellPhysician(tx, addressee, addressee.questionMail !== "OFF", {
        kind: "ADDRESSED_QUESTION",
        message: "A patient asked you a question",
        about: { titled: "A patient asked you a question: {title}", threadId: thread.id },
        url,
        subject: "A patient asked you a question",
        text: "A patient addressed a question to you on Curbside. Sign in to read it:",
        path: `/t/${thread.id}`,
      });
  }
  const physicians = await tx.physicianProfile.findMany({
    where: {
      status: "VERIFIED",
      categoryIds: { has: thread.categoryId },
      userId: { notIn: [thread.authorId, ...(thread.addressedToId ? [thread.addressedToId] : [])] },
      user: { deletedAt: null },
    },
    select: { userId: true, questionMail: true, user: { select: { email: true } } },
  });
  for (const p of physicians)
    await tellPhysician(tx, p, p.questionMail === "IMMEDIATE", {
      kind: "SPECIALTY_QUESTION",
      message: "A new question in a category you follow",
      about: { titled: "A new question in a category you follow: {title}", threadId: thread.id },
      url,
      subject: "A new question in your specialty",
      text: "A patient asked a new question in a category you follow on Curbside. Sign in to read it:",
      path: `/t/${thread.id}`,
    });
}

const DECISIONS: Record<Decision, (what: string) => string> = {
  approved: (what: string) => `Your ${what} was approved and is now public`,
  rejected: (what: string) => `Your ${what} was not approved`,
  changes: (what: string) => `A moderator asked for changes to your ${what}`,
  hidden: (what: string) => `A moderator hid your ${what}`,
  reported: (what: string) => `Your ${what} is hidden while a moderator reviews a physician's report`,
  "edit-approved": (what: string) => `Your edit to your ${what} was approved`,
  "edit-rejected": (what: string) => `Your edit to your ${what} was not approved; the earlier version stays`,
};

/** The same lines naming the post: "Your question {title} was approved", "Your reply in {title} …". */
const titledDecision = (decision: Decision, what: string) => DECISIONS[decision](what === "reply" ? "reply in {title}" : `${what} {title}`);

/** A moderator decided on someone's post: tell its author, with the reason and a link. */
export async function decisionMade(
  tx: Tx,
  d: {
    userId: string;
    decision: Decision;
    what: "question" | "reply" | "article";
    reason?: string | null;
    note?: string | null;
    url: string;
    threadId: number;
    replyId: number | null;
  },
) {
  const detail = [d.reason, d.note].filter((s) => s && s.trim() !== "").join(" — ") || null;
  await notify(tx, {
    userId: d.userId,
    kind: "DECISION",
    message: DECISIONS[d.decision](d.what),
    detail,
    url: d.url,
    about: { titled: titledDecision(d.decision, d.what), threadId: d.threadId, replyId: d.replyId },
  });
}

/** Where a post lives, for a decision's link. */
export async function postUrl(
  tx: Tx,
  kind: PostKind,
  id: number,
): Promise<{ url: string; authorId: string; what: "question" | "reply" | "article"; threadId: number; replyId: number | null } | null> {
  if (kind === "threads") {
    const t = await tx.thread.findUnique({ where: { id }, select: { id: true, title: true, authorId: true, kind: true } });
    return t
      ? { url: threadUrl(t), authorId: t.authorId, what: t.kind === "ARTICLE" ? "article" : "question", threadId: t.id, replyId: null }
      : null;
  }
  const r = await tx.reply.findUnique({
    where: { id },
    select: { id: true, authorId: true, thread: { select: { id: true, title: true } } },
  });
  return r ? { url: replyUrl(r.thread, r.id), authorId: r.authorId, what: "reply", threadId: r.thread.id, replyId: r.id } : null;
}

export function createNotificationService(db: Database) {
  function requireViewer(viewer: Viewer) {
    if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to see your notifications.");
    return viewer;
  }
  return {
    async list(viewer: Viewer, before: number | null) {
      const me = requireViewer(viewer);
      const rows = await db.notification.findMany({
        where: { userId: me.id, ...(before ? { id: { lt: before } } : {}) },
        orderBy: { id: "desc" },
        take: NOTIFICATIONS_PER_PAGE + 1,
      });
      const page = rows.slice(0, NOTIFICATIONS_PER_PAGE);
      const titles = await visibleTitles(db, me, page);
      return {
        items: page.map((n) => ({
          message: n.message,
          line: notificationLine(n, titles),
          detail: n.detail,
          openUrl: `/notifications/${n.id}`,
          unread: n.readAt === null,
          createdAt: n.createdAt,
        })),
        nextBefore: rows.length > NOTIFICATIONS_PER_PAGE ? page.at(-1)?.id : null,
      };
    },

    /** Marks one notification read and returns where it points; someone else's is "not found". */
    async open(viewer: Viewer, id: number): Promise<string> {
      const me = requireViewer(viewer);
      const row = await db.notification.findFirst({ where: { id, userId: me.id }, select: { url: true, readAt: true } });
      if (!row) throw notFound("notification");
      if (!row.readAt) await db.notification.updateMany({ where: { id, userId: me.id, readAt: null }, data: { readAt: new Date() } });
      return withoutTitle(row.url);
    },

    async markAllRead(viewer: Viewer): Promise<number> {
      const me = requireViewer(viewer);
      const { count } = await db.notification.updateMany({ where: { userId: me.id, readAt: null }, data: { readAt: new Date() } });
      return count;
    },
  };
}
