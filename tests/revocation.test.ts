// Revoking a physician's verification re-reviews their posts (issue #20, item 3): their answers and articles leave
// public view and wait in the queue with the reason, and their threads no longer count as answered by a physician.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REVOKED_REVIEW } from "../src/moderation/re-review.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe("revoking a physician", () => {
  it("sends their answers and articles back to review, and unmarks their threads as answered", async () => {
    const physician = await createUser(t.db, "physician");
    const asker = await createUser(t.db);
    const title = `Revocation question ${Date.now()}`;
    const thread = await createThread(t.db, asker, { title });
    const answer = await createReply(t.db, physician, thread.id, { body: "An answer that must be reviewed again." });
    const article = await createThread(t.db, physician, { kind: "ARTICLE", title: `Revoked article ${Date.now()}` });
    // As a physician's answer publishes: the thread counts as answered.
    await t.db.thread.update({ where: { id: thread.id }, data: { answeredAt: new Date(), replyCount: 1 } });

    const before = await t.http().get("/feeds/answered.atom");
    expect(before.text).toContain(title);
    const search = () => t.http().get(`/search?q=${encodeURIComponent(title)}&answered=yes`);
    expect((await search()).text).toContain(`href="/t/${thread.id}/`);

    const moderator = t.agent();
    await logIn(moderator, await createUser(t.db, "moderator"));
    const res = await submit(moderator, `/moderation/users/${physician.id}`, `/moderation/users/${physician.id}/revoke`, {
      reason: "Licence lapsed",
    });
    expect(res.status).toBe(303);

    const page = textOf((await t.http().get(`/t/${thread.id}`)).text);
    expect(page).toContain(title);
    expect(page).not.toContain("An answer that must be reviewed again.");
    expect((await t.http().get(`/t/${article.id}`)).status).toBe(404);
    expect((await t.http().get("/feeds/answered.atom")).text).not.toContain(title);
    expect((await search()).text).not.toContain(`href="/t/${thread.id}/`);
    const home = (await t.http().get("/")).text;
    const onHome = home.slice(home.indexOf(title) - 600, home.indexOf(title) + 600);
    if (home.includes(title)) expect(onHome).not.toContain("Answered by a physician");

    const stored = await t.db.reply.findUniqueOrThrow({ where: { id: answer.id } });
    expect(stored).toMatchObject({ status: "PENDING", moderationReason: REVOKED_REVIEW, moderationNote: "Licence lapsed" });
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).answeredAt).toBeNull();
    const queue = textOf((await moderator.get("/moderation")).text);
    expect(queue).toContain("An answer that must be reviewed again.");
    expect(queue.toLowerCase()).toContain(REVOKED_REVIEW.toLowerCase());
  });
});
