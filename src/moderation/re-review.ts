// What revoking a physician's verification does to their posts: the badge leaves every post at once (it is
// read from the profile), and everything of theirs that is public goes back to the moderation queue, with the
// reason stored on each post, because it was published on the strength of the badge (verified physicians
// publish without review). Their answers stop counting as "Answered by a physician" until a moderator approves
// them again as a member's replies; their articles and questions wait likewise. Withdrawn questions stay as
// they are: there is no text left to review.
import type { Prisma } from "../generated/prisma/client.ts";
import { recountThreads, threadsRepliedToBy } from "../posts/activity.ts";

/** Stored as each post's moderation reason, and shown in the queue as why it is held. */
export const REVOKED_REVIEW = "Published by a physician whose verification was revoked: review it again";

/** Sends every public post of `userId` back to review; the revocation's reason goes with it as the note. */
export async function reReviewPostsOf(tx: Prisma.TransactionClient, userId: string, reason: string): Promise<number> {
  // Held now, for this one reason: stored like any hold decision, and shown in the queue as stored.
  const data = {
    status: "PENDING" as const,
    moderationReason: REVOKED_REVIEW,
    moderationNote: reason,
    urgent: false,
    holdReasons: [REVOKED_REVIEW.toLowerCase()],
    heldAt: new Date(),
  };
  const answered = await threadsRepliedToBy(tx, userId);
  const replies = await tx.reply.updateMany({ where: { authorId: userId, status: "APPROVED" }, data });
  const threads = await tx.thread.updateMany({ where: { authorId: userId, status: "APPROVED", withdrawnAt: null }, data });
  // Counts, last activity and "answered" (the profile is no longer verified) of every thread they answered in.
  for (const threadId of answered) await recountThreads(tx, threadId);
  return replies.count + threads.count;
}
