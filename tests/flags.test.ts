// Reporting posts and acting on reports: reasons, escalation, hiding, dismissing, and the outcome of every report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let author: UserFixture;
let authorAgent: ReturnType<TestApp["agent"]>;
let moderator: ReturnType<TestApp["agent"]>;

/** An established member (a month old, with an approved post), whose report counts toward the threshold. */
async function reporter() {
  const agent = t.agent();
  const user = await createUser(t.db);
  await createThread(t.db, user);
  await logIn(agent, user);
  return agent;
}

beforeAll(async () => {
  t = await buildTestApp();
  author = await createUser(t.db, "physician", { fullName: "Reported Author" });
  authorAgent = t.agent();
  await logIn(authorAgent, author);
  moderator = t.agent();
  await logIn(moderator, await createUser(t.db, "moderator"));
});
afterAll(() => t.close());

describe("reporting", () => {
  it("records a report with its reason; Other needs a note; the same person reports once", async () => {
    const thread = await createThread(t.db, author);
    const reply = await createReply(t.db, author, thread.id, { body: "Take 10x the dose." });
    const agent = await reporter();
    const page = await agent.get(`/replies/${reply.id}/report`);
    expect(textOf(page.text)).toContain("Take 10x the dose.");
    const empty = await submit(agent, `/replies/${reply.id}/report`, `/replies/${reply.id}/report`, { reason: "", note: "" });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Choose a reason.");
    const other = await submit(agent, `/replies/${reply.id}/report`, `/replies/${reply.id}/report`, { reason: "OTHER", note: "" });
    expect(textOf(other.text)).toContain("Tell the moderators what is wrong.");
    const ok = await submit(agent, `/replies/${reply.id}/report`, `/replies/${reply.id}/report`, {
      reason: "MISINFORMATION",
      note: "Dangerous dose advice",
    });
    expect(ok.status).toBe(200);
    expect(textOf(ok.text)).toContain("Your report reached the moderators.");
    const again = await submit(agent, `/replies/${reply.id}/report`, `/replies/${reply.id}/report`, { reason: "SPAM", note: "" });
    expect(textOf(again.text)).toContain("You had already reported this post.");
    expect(await t.db.flag.count({ where: { replyId: reply.id } })).toBe(1);
  });

  it("cannot report one's own post, a hidden post, or a post that does not exist", async () => {
    const thread = await createThread(t.db, author);
    expect((await authorAgent.get(`/t/${thread.id}/report`)).status).toBe(403);
    const pending = await createThread(t.db, author, { status: "PENDING" });
    const agent = await reporter();
    expect((await agent.get(`/t/${pending.id}/report`)).status).toBe(404);
    expect((await agent.get("/replies/999999/report")).status).toBe(404);
    expect((await t.http().get(`/t/${thread.id}/report`)).headers.location).toMatch(/^\/login\?next=/);
  });

  it("an emergency report, or three reports, put the post first in the queue as urgent", async () => {
    const thread = await createThread(t.db, author);
    const one = await createReply(t.db, author, thread.id, { body: "A reply someone worries about" });
    await submit(await reporter(), `/replies/${one.id}/report`, `/replies/${one.id}/report`, {
      reason: "EMERGENCY",
      note: "She sounds in danger",
    });
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: one.id } })).urgent).toBe(true);

    const many = await createReply(t.db, author, thread.id, { body: "A reply with many reports" });
    for (let i = 0; i < 2; i++)
      await submit(await reporter(), `/replies/${many.id}/report`, `/replies/${many.id}/report`, { reason: "SPAM", note: "" });
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: many.id } })).urgent).toBe(false);
    await submit(await reporter(), `/replies/${many.id}/report`, `/replies/${many.id}/report`, { reason: "ABUSE", note: "" });
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: many.id } })).urgent).toBe(true);

    const queue = (await moderator.get("/moderation")).text;
    expect(textOf(queue)).toContain("She sounds in danger");
    expect(textOf(queue)).toContain("3 reports");
  });
});

describe("acting on reports", () => {
  it("hiding upholds the reports, hides the post from everyone but its author, and is logged", async () => {
    const thread = await createThread(t.db, author);
    const reply = await createReply(t.db, author, thread.id, { body: "Misleading advice to hide" });
    await submit(await reporter(), `/replies/${reply.id}/report`, `/replies/${reply.id}/report`, { reason: "MISINFORMATION", note: "" });
    const hide = await submit(moderator, "/moderation", `/moderation/replies/${reply.id}/hide`, {
      reason: "Medical misinformation",
      note: "Please cite evidence.",
    });
    expect(hide.status).toBe(303);
    expect((await t.http().get(`/t/${thread.id}`)).text).not.toContain("Misleading advice to hide");
    const own = textOf((await authorAgent.get(`/t/${thread.id}`)).text);
    expect(own).toContain("Hidden by a moderator.");
    expect(own).toContain("Medical misinformation");
    expect((await t.db.flag.findFirstOrThrow({ where: { replyId: reply.id } })).status).toBe("UPHELD");
    expect(await t.db.moderationLog.count({ where: { action: "hide", targetId: String(reply.id) } })).toBe(1);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).replyCount).toBe(0);

    // A second moderator acting on the same post is told it was already done.
    const again = await submit(moderator, "/moderation", `/moderation/replies/${reply.id}/hide`, {
      reason: "Medical misinformation",
      note: "",
    });
    expect(again.status).toBe(409);
  });

  it("dismissing keeps the post and records the outcome; hiding needs a reason", async () => {
    const thread = await createThread(t.db, author);
    await submit(await reporter(), `/t/${thread.id}/report`, `/t/${thread.id}/report`, { reason: "SPAM", note: "" });
    const noReason = await submit(moderator, "/moderation", `/moderation/threads/${thread.id}/hide`, { reason: "", note: "" });
    expect(noReason.status).toBe(400);
    expect((await submit(moderator, "/moderation", `/moderation/threads/${thread.id}/dismiss-flags`, {})).status).toBe(303);
    expect((await t.db.flag.findFirstOrThrow({ where: { threadId: thread.id } })).status).toBe("DISMISSED");
    expect((await t.http().get(`/t/${thread.id}`)).status).toBe(200);
    expect((await submit(moderator, "/moderation", `/moderation/threads/${thread.id}/dismiss-flags`, {})).status).toBe(409);
  });

  it("only moderators act on reports", async () => {
    const thread = await createThread(t.db, author);
    const agent = await reporter();
    const token = csrfFrom((await agent.get("/account")).text);
    expect(
      (await agent.post(`/moderation/threads/${thread.id}/hide`).type("form").send({ _csrf: token, reason: "Spam or advertising" })).status,
    ).toBe(403);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("APPROVED");
  });
});
