// The two kinds of post, and what differs between them, in one table: the Prisma delegate (as the columns
// both share), the audit log's target, the word an author is told, and the key a revision or report uses.
// Callers write `postKinds[kind].rows(tx).updateMany(...)` instead of a ternary on `kind` for each query.
import type { Prisma } from "../generated/prisma/client.ts";

export type PostKind = "threads" | "replies";

type Client = Prisma.TransactionClient;

/** A filter or change that is valid on both tables (the columns questions and replies share). */
type Where = Prisma.ThreadWhereInput & Prisma.ReplyWhereInput;
type Data = Prisma.ThreadUpdateManyMutationInput & Prisma.ReplyUpdateManyMutationInput;

const shared = {
  id: true,
  authorId: true,
  status: true,
  urgent: true,
  body: true,
  claimedById: true,
  claimedAt: true,
  approvedAt: true,
  createdAt: true,
  claimedBy: { select: { pseudonym: true } },
} as const;

/** A question or reply as both tables give it, with its thread's id (a question is its own thread). */
export interface SharedPost {
  id: number;
  threadId: number;
  authorId: string;
  status: "PENDING" | "APPROVED" | "REJECTED" | "HIDDEN";
  urgent: boolean;
  body: string;
  claimedById: string | null;
  claimedAt: Date | null;
  approvedAt: Date | null;
  createdAt: Date;
  claimedBy: { pseudonym: string } | null;
}

/** The queries both tables answer the same way. */
export interface PostRows {
  updateMany(args: { where: Where; data: Data }): Promise<{ count: number }>;
  count(args: { where: Where }): Promise<number>;
  setUrgent(id: number, urgent: boolean): Promise<void>;
  find(id: number): Promise<SharedPost | null>;
}

export interface PostKindEntry {
  /** The audit log's target type. */
  target: "THREAD" | "REPLY";
  /** What a moderator's confirmation calls it. */
  label: "question" | "reply";
  /** A revision's or report's column for this kind. */
  key(id: number): { threadId: number } | { replyId: number };
  rows(db: Client): PostRows;
}

export const postKinds: Record<PostKind, PostKindEntry> = {
  threads: {
    target: "THREAD",
    label: "question",
    key: (id) => ({ threadId: id }),
    rows: (db) => ({
      updateMany: (args) => db.thread.updateMany(args),
      count: (args) => db.thread.count(args),
      setUrgent: async (id, urgent) => {
        await db.thread.update({ where: { id }, data: { urgent } });
      },
      find: async (id) => {
        const row = await db.thread.findUnique({ where: { id }, select: shared });
        return row && { ...row, threadId: row.id };
      },
    }),
  },
  replies: {
    target: "REPLY",
    label: "reply",
    key: (id) => ({ replyId: id }),
    rows: (db) => ({
      updateMany: (args) => db.reply.updateMany(args),
      count: (args) => db.reply.count(args),
      setUrgent: async (id, urgent) => {
        await db.reply.update({ where: { id }, data: { urgent } });
      },
      find: (id) => db.reply.findUnique({ where: { id }, select: { ...shared, threadId: true } }),
    }),
  },
};

/** The kind a revision or report row points at, and the post's id. */
export function kindOf(row: { threadId: number | null; replyId: number | null }): { kind: PostKind; id: number } {
  return row.threadId !== null ? { kind: "threads", id: row.threadId } : { kind: "replies", id: row.replyId as number };
}
