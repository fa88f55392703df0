// "Notify me of replies": following a thread by mail, from the thread page or by the signed link in a mail.
import { assertMayWrite } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { verifyUnsubscribe } from "../mail/tokens.ts";
import { threadUrl } from "../posts/urls.ts";

export function createSubscriptionService(db: Database, secret: string) {
  return {
    /** Starts or stops mail about replies in a thread this person can see. */
    async setFollowing(viewer: Viewer, threadId: number, on: boolean): Promise<string> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to follow a thread.");
      // Stopping mail always works; starting to follow is a change a suspended member can't make.
      if (on) assertMayWrite(viewer);
      const thread = await db.thread.findFirst({
        where: { id: threadId, OR: [{ status: "APPROVED" }, { authorId: viewer.id }] },
        select: { id: true, title: true },
      });
      if (!thread) throw notFound("thread");
      if (on) {
        await db.threadSubscription.upsert({
          where: { userId_threadId: { userId: viewer.id, threadId } },
          create: { userId: viewer.id, threadId },
          update: {},
        });
      } else {
        await db.threadSubscription.deleteMany({ where: { userId: viewer.id, threadId } });
      }
      return threadUrl(thread);
    },

    /** The one-click link from a mail: no sign-in needed, the signature proves it was sent to this person. */
    async unsubscribe(userId: string, threadId: number, signature: string) {
      if (!verifyUnsubscribe(secret, userId, threadId, signature)) return null;
      await db.threadSubscription.deleteMany({ where: { userId, threadId } });
      const thread = await db.thread.findUnique({ where: { id: threadId }, select: { id: true, title: true, status: true } });
      return { url: thread?.status === "APPROVED" ? threadUrl(thread) : null };
    },
  };
}
