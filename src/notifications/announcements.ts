// Notifications and mail hear what happens to posts through the post events (registered when the app is built).
import type { PostEvents } from "../posts/events.ts";
import { decisionMade, postUrl, questionPublished, replyPublished } from "./service.ts";

export function announceThroughNotifications(events: PostEvents): PostEvents {
  return events.on(async (tx, event) => {
    if (event.type === "question-published") await questionPublished(tx, event.thread);
    else if (event.type === "reply-published") await replyPublished(tx, event.reply);
    else {
      const post = await postUrl(tx, event.kind, event.id);
      if (post)
        await decisionMade(tx, {
          userId: post.authorId,
          decision: event.decision,
          what: post.what,
          reason: event.reason ?? null,
          note: event.note ?? null,
          url: post.url,
          threadId: post.threadId,
          replyId: post.replyId,
        });
    }
  });
}
