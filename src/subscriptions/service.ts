// "Notify me of replies": following a thread by mail, from the thread page or by the signed link in a mail.
import { assertMayWrite } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { type MailList, verifyUnsubscribe } from "../mail/tokens.ts";
import { threadUrl } from "../posts/urls.ts";

export interface UnsubscribeLink {
  userId: string;
  list: MailList;
  signature: string;
}

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

    /** Whether a link from a mail is genuine; reading it changes nothing (link scanners open every link). */
    isGenuine: (link: UnsubscribeLink) => verifyUnsubscribe(secret, link.userId, link.list, link.signature),

    /** The one-click POST of RFC 8058, or the button on the link's page: the signature proves who it is for. */
    async unsubscribe(link: UnsubscribeLink): Promise<{ threadUrl: string | null } | null> {
      if (!verifyUnsubscribe(secret, link.userId, link.list, link.signature)) return null;
      if (link.list === "questions") {
        await db.physicianProfile.updateMany({ where: { userId: link.userId }, data: { questionMail: "OFF" } });
        return { threadUrl: null };
      }
      const threadId = link.list.thread;
      await db.threadSubscription.deleteMany({ where: { userId: link.userId, threadId } });
      const thread = await db.thread.findUnique({ where: { id: threadId }, select: { id: true, title: true, status: true } });
      return { threadUrl: thread?.status === "APPROVED" ? threadUrl(thread) : null };
    },
  };
}
