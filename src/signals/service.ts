// Signals of quality on physicians' answers: other verified physicians agree (their names are shown),
// patients mark an answer helpful, and the person who asked marks the one that answered their question,
// which then comes first in the thread. Each mark is one row; the counts on the reply change with it, in
// the same transaction, so readers' cached pages refresh (the reply's page-cache trigger fires).
import { assertMayWrite, can } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, forbidden, notFound } from "../lib/errors.ts";
import { urlOfReply } from "../threads/reply-position.ts";

export type Signal = "agree" | "helpful" | "accept";

/** A published answer by a currently verified physician, in a published thread. */
async function findAnswer(db: Database, replyId: number) {
  const reply = await db.reply.findFirst({
    where: { id: replyId, status: "APPROVED", thread: { status: "APPROVED" } },
    select: {
      id: true,
      rootId: true,
      authorId: true,
      thread: { select: { id: true, title: true, kind: true, authorId: true, withdrawnAt: true } },
      author: { select: { deletedAt: true, physicianProfile: { select: { status: true } } } },
    },
  });
  if (!reply) throw notFound("answer");
  if (reply.author.deletedAt || reply.author.physicianProfile?.status !== "VERIFIED") {
    throw new AppError("CONFLICT", "Only answers by verified physicians take these marks.");
  }
  return reply;
}

export function createSignalService(db: Database) {
  return {
    /** Sets (on) or clears this viewer's mark; answers with the address of the answer. */
    async mark(viewer: Viewer, signal: Signal, replyId: number, on: boolean): Promise<string> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in first.");
      assertMayWrite(viewer);
      if (signal === "agree" && !can(viewer, "agree")) {
        throw forbidden("Only verified physicians can agree with an answer.");
      }
      if (signal === "helpful" && !can(viewer, "markHelpful")) {
        throw forbidden("Patients mark answers helpful. Physicians can agree with an answer instead.");
      }
      const answer = await findAnswer(db, replyId);
      if (signal === "accept") {
        if (answer.thread.authorId !== viewer.id) throw forbidden("Only the person who asked can mark the answer to their question.");
        if (answer.thread.kind !== "QUESTION" || answer.thread.withdrawnAt) {
          throw new AppError("CONFLICT", "Only an open question can have an answer marked.");
        }
      } else if (answer.authorId === viewer.id) {
        throw forbidden(signal === "agree" ? "You can't agree with your own answer." : "You can't mark your own answer helpful.");
      }
      const key = { replyId_userId: { replyId, userId: viewer.id } };
      await db.$transaction(async (tx) => {
        if (signal === "accept") {
          // One answer per question: the thread's row lock makes two quick clicks on two answers leave one.
          await tx.$executeRaw`SELECT 1 FROM "Thread" WHERE id = ${answer.thread.id} FOR UPDATE`;
          await tx.reply.updateMany({
            where: { threadId: answer.thread.id, acceptedAt: { not: null }, id: on ? { not: replyId } : replyId },
            data: { acceptedAt: null },
          });
          if (on) await tx.reply.updateMany({ where: { id: replyId, acceptedAt: null }, data: { acceptedAt: new Date() } });
          return;
        }
        if (signal === "agree") {
          if (on) await tx.agreement.upsert({ where: key, create: { replyId, userId: viewer.id }, update: {} });
          else await tx.agreement.deleteMany({ where: { replyId, userId: viewer.id } });
          await tx.$executeRaw`UPDATE "Reply" SET "agreeCount" = (SELECT count(*) FROM "Agreement" WHERE "replyId" = ${replyId}) WHERE id = ${replyId}`;
        } else {
          if (on) await tx.helpfulMark.upsert({ where: key, create: { replyId, userId: viewer.id }, update: {} });
          else await tx.helpfulMark.deleteMany({ where: { replyId, userId: viewer.id } });
          await tx.$executeRaw`UPDATE "Reply" SET "helpfulCount" = (SELECT count(*) FROM "HelpfulMark" WHERE "replyId" = ${replyId}) WHERE id = ${replyId}`;
        }
      });
      return urlOfReply(db, viewer, answer.thread, answer);
    },
  };
}
