// A queue to practise moderation on (`npm run seed -- --large-queue`): never in production.
import { randomUUID } from "node:crypto";
import { PRIVACY_NOTICE_VERSION } from "../../auth/schemas.ts";
import { createPasswordHasher } from "../../lib/passwords.ts";
import { pseudonymKey } from "../../lib/slug.ts";
import { recordMissingHoldReasons } from "../../moderation/hold-backfill.ts";
import { replyPath } from "../../posts/activity.ts";
import type { Database } from "../client.ts";

/**
 * A queue to practise on: `count` pending questions and replies from fictional new members
 * (`npm run seed -- --large-queue`). Never in production.
 */
export async function seedLargeQueue(db: Database, count = 200): Promise<number> {
  const passwordHash = await createPasswordHasher().hash(randomUUID());
  const categories = await db.category.findMany({ select: { id: true } });
  const threads = await db.thread.findMany({ where: { status: "APPROVED" }, select: { id: true }, take: 20 });
  if (categories.length === 0) throw new Error("seed the categories first");
  const stamp = Date.now().toString(36);
  const people = Array.from({ length: 20 }, (_, i) => ({
    id: randomUUID(),
    email: `queue-${stamp}-${i}@example.invalid`,
    passwordHash,
    pseudonym: `Queue Member ${stamp}-${i + 1}`,
    pseudonymKey: pseudonymKey(`Queue Member ${stamp}-${i + 1}`),
    emailConfirmedAt: new Date(),
    consentAt: new Date(),
    consentVersion: PRIVACY_NOTICE_VERSION,
  }));
  await db.user.createMany({ data: people });
  const now = Date.now();
  const topics = [
    "NK-cell results",
    "progesterone support",
    "heparin timing",
    "a third transfer",
    "thyroid antibodies",
    "waiting after a loss",
    "intralipid",
    "HLA typing",
  ];
  let made = 0;
  for (let i = 0; i < count; i++) {
    const author = people[i % people.length]?.id as string;
    const at = new Date(now - (count - i) * 5 * 60_000);
    const topic = topics[i % topics.length];
    if (i % 3 !== 0 || threads.length === 0) {
      await db.thread.create({
        data: {
          title: `Queue practice ${i + 1}: a question about ${topic}`,
          body: `This is practice question ${i + 1} about ${topic}. It waits for a moderator like any patient's question.`,
          categoryId: categories[i % categories.length]?.id as number,
          authorId: author,
          status: "PENDING",
          createdAt: at,
          updatedAt: at,
          lastActivityAt: at,
        },
      });
    } else {
      const threadId = threads[i % threads.length]?.id as number;
      const reply = await db.reply.create({
        data: {
          threadId,
          authorId: author,
          body: `Practice reply ${i + 1} about ${topic}: thank you, this helps.`,
          status: "PENDING",
          createdAt: at,
          updatedAt: at,
        },
      });
      await db.reply.update({ where: { id: reply.id }, data: { path: replyPath(null, reply.id), rootId: reply.id } });
    }
    made++;
  }
  await recordMissingHoldReasons(db);
  return made;
}
