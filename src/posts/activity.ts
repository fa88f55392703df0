// What a published reply changes on its thread (counts, activity, "answered"), and a reply's place in it.
import { Prisma } from "../generated/prisma/client.ts";
import type { PostEvents } from "./events.ts";

/**
 * Recomputes reply counts, last activity and "answered" time from approved replies: for one thread, or for
 * every thread when no id is given.
 */
export async function recountThreads(tx: Prisma.TransactionClient, threadId?: number): Promise<void> {
  const onlyOne = threadId === undefined ? Prisma.empty : Prisma.sql`WHERE th.id = ${threadId}`;
  await tx.$executeRaw`
    UPDATE "Thread" t SET
      "replyCount" = s.n,
      "lastActivityAt" = GREATEST(COALESCE(t."approvedAt", t."createdAt"), COALESCE(s.last, t."createdAt")),
      "answeredAt" = s.answered
    FROM (
      SELECT th.id, count(r.id)::int AS n, max(r."approvedAt") AS last,
             min(r."approvedAt") FILTER (WHERE p.status = 'VERIFIED') AS answered
      FROM "Thread" th
      LEFT JOIN "Reply" r ON r."threadId" = th.id AND r.status = 'APPROVED'
      LEFT JOIN "PhysicianProfile" p ON p."userId" = r."authorId"
      ${onlyOne}
      GROUP BY th.id
    ) s
    WHERE t.id = s.id`;
}

/** The threads in which this author has a public reply: those whose "answered" follows their badge. */
export async function threadsRepliedToBy(tx: Prisma.TransactionClient, authorId: string): Promise<number[]> {
  const rows = await tx.reply.findMany({ where: { authorId, status: "APPROVED" }, select: { threadId: true }, distinct: ["threadId"] });
  return rows.map((r) => r.threadId);
}

/** A reply's position in its thread: zero-padded ids from its top-level reply down to itself. */
export function replyPath(parent: { path: string } | null, id: number): string {
  const own = String(id).padStart(10, "0");
  return parent ? `${parent.path}.${own}` : own;
}

/**
 * A reply has just become public: it is announced (notifications and mail), and its thread's counts, activity
 * and, for a physician's reply, "answered" follow.
 */
export async function publishReply(
  tx: Prisma.TransactionClient,
  events: PostEvents,
  reply: { id: number; threadId: number; authorId: string; parentId: number | null },
  at: Date,
): Promise<void> {
  await events.emit(tx, { type: "reply-published", reply });
  const author = await tx.physicianProfile.findUnique({ where: { userId: reply.authorId }, select: { status: true } });
  await tx.thread.update({
    where: { id: reply.threadId },
    data: { replyCount: { increment: 1 }, lastActivityAt: at },
  });
  if (author?.status === "VERIFIED") {
    await tx.thread.updateMany({ where: { id: reply.threadId, answeredAt: null }, data: { answeredAt: at } });
  }
}
