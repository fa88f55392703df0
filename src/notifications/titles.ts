// A notification's line as the app shows it: with the post's current title while the reader may still see the
// post, and without it otherwise (hidden, rejected, withdrawn or otherwise gone), so that a title never outlives
// the reader's right to read it. The title is read now, not when the notification was written: an approved edit
// or a moderator's redaction shows, a withdrawn question's old title never does.
import { canSeeUnpublished } from "../auth/permissions.ts";
import type { SignedInUser } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";

const PLACEHOLDER = "{title}";

interface NotificationRow {
  message: string;
  titledMessage: string | null;
  threadId: number | null;
  replyId: number | null;
}

/** The current title of the post each notification names, when `viewer` may still see that post. */
export type TitleOf = (n: NotificationRow) => string | undefined;

export async function visibleTitles(db: Database, viewer: SignedInUser, rows: NotificationRow[]): Promise<TitleOf> {
  const threadIds = [...new Set(rows.flatMap((n) => (n.titledMessage && n.threadId ? [n.threadId] : [])))];
  const replyIds = [...new Set(rows.flatMap((n) => (n.titledMessage && n.replyId ? [n.replyId] : [])))];
  const [threads, replies] = await Promise.all([
    threadIds.length
      ? db.thread.findMany({
          where: { id: { in: threadIds } },
          select: { id: true, title: true, status: true, authorId: true, withdrawnAt: true },
        })
      : Promise.resolve([]),
    replyIds.length
      ? db.reply.findMany({ where: { id: { in: replyIds } }, select: { id: true, status: true, authorId: true } })
      : Promise.resolve([]),
  ]);
  const seen = (p: { status: string; authorId: string }) => p.status === "APPROVED" || canSeeUnpublished(viewer, p.authorId);
  const titles = new Map(threads.filter((t) => t.withdrawnAt === null && seen(t)).map((t) => [t.id, t.title]));
  const visibleReplies = new Set(replies.filter(seen).map((r) => r.id));
  return (n) => {
    if (!n.titledMessage || !n.threadId) return undefined;
    // A notification about a reply the reader can no longer see names no title either.
    if (n.replyId && !visibleReplies.has(n.replyId)) return undefined;
    return titles.get(n.threadId);
  };
}

/**
 * The line in parts, for the template to escape each: `before`, the quoted `title`, `after`. Without a title
 * the line is the one written without it.
 */
export function notificationLine(n: NotificationRow, titleOf: TitleOf) {
  const title = titleOf(n);
  const at = n.titledMessage?.lastIndexOf(PLACEHOLDER) ?? -1;
  if (!n.titledMessage || title === undefined || at === -1) return { before: n.message, title: null, after: "" };
  return { before: n.titledMessage.slice(0, at), title, after: n.titledMessage.slice(at + PLACEHOLDER.length) };
}
