// A suspended member reads, signs out, exports and deletes; every change they try is refused with the reason,
// on the form they sent, with their text kept (issue #20, item 1).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type Persona, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn } from "./helpers/http.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function suspendedMember(persona: Persona = "patient") {
  const user = await createUser(t.db, persona);
  const agent = t.agent();
  await logIn(agent, user);
  // Suspended after signing in: the session already open must stop writing too.
  await t.db.user.update({
    where: { id: user.id },
    data: { suspendedUntil: new Date(Date.now() + 3 * 86_400_000), restrictionMessage: "Cooling off" },
  });
  const token = csrfFrom((await agent.get("/account")).text);
  return { user, agent, token };
}

const post = (s: { agent: ReturnType<TestApp["agent"]>; token: string }, path: string, fields: Record<string, string>) =>
  s.agent
    .post(path)
    .type("form")
    .send({ _csrf: s.token, ...fields });

function refusedWithTextKept(res: { status: number; text: string }, kept: string) {
  expect(res.status).toBe(403);
  expect(res.text).toContain("Your account is suspended until");
  expect(res.text).toContain(kept);
}

describe("suspension stops every change", () => {
  it("keeps a suspended physician's published answer as it was", async () => {
    const s = await suspendedMember("physician");
    const asker: UserFixture = await createUser(t.db);
    const thread = await createThread(t.db, asker);
    const answer = await createReply(t.db, s.user, thread.id, { body: "The answer as first published." });
    const res = await post(s, `/replies/${answer.id}/edit`, { body: "Text a suspended physician wants public now." });
    refusedWithTextKept(res, "Text a suspended physician wants public now.");
    const page = await t.http().get(`/t/${thread.id}`);
    expect(page.text).toContain("The answer as first published.");
    expect(page.text).not.toContain("Text a suspended physician wants public now.");
    expect(await t.db.postRevision.count({ where: { replyId: answer.id } })).toBe(0);
  });

  it("keeps a suspended physician's article as it was", async () => {
    const s = await suspendedMember("physician");
    const article = await createThread(t.db, s.user, { kind: "ARTICLE", body: "The article as published, long enough." });
    const res = await post(s, `/articles/${article.id}/edit`, {
      title: "A new title while suspended",
      body: "A new article body while suspended. ".repeat(10),
      categoryId: String(article.categoryId),
      tags: "",
      references: "",
    });
    refusedWithTextKept(res, "A new title while suspended");
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: article.id } })).body).toBe("The article as published, long enough.");
  });

  it("keeps a suspended patient's held question and reply out of the queue", async () => {
    const s = await suspendedMember();
    const held = await createThread(t.db, s.user, { status: "REJECTED" });
    const res = await post(s, `/t/${held.id}/edit`, {
      title: "Resubmitted while suspended",
      body: "A resubmitted body that is long enough.",
      categoryId: String(held.categoryId),
    });
    refusedWithTextKept(res, "Resubmitted while suspended");
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("REJECTED");

    const open = await createThread(t.db, await createUser(t.db));
    const reply = await createReply(t.db, s.user, open.id, { status: "PENDING" });
    refusedWithTextKept(await post(s, `/replies/${reply.id}/edit`, { body: "Edited while suspended" }), "Edited while suspended");
  });

  it("refuses a suspended member's report, their signals, follows and profile changes", async () => {
    const s = await suspendedMember();
    const other = await createUser(t.db);
    const thread = await createThread(t.db, other);
    refusedWithTextKept(await post(s, `/t/${thread.id}/report`, { reason: "SPAM", note: "A note kept" }), "A note kept");
    expect(await t.db.flag.count({ where: { threadId: thread.id } })).toBe(0);

    const answer = await createReply(t.db, await createUser(t.db, "physician"), thread.id);
    const helpful = await post(s, `/replies/${answer.id}/helpful`, { on: "yes" });
    expect(helpful.status).toBe(403);
    expect(helpful.text).toContain("suspended");
    expect(await t.db.helpfulMark.count({ where: { replyId: answer.id } })).toBe(0);

    const follow = await post(s, `/t/${thread.id}/follow`, { follow: "on" });
    expect(follow.status).toBe(403);
    expect(await t.db.threadSubscription.count({ where: { userId: s.user.id, threadId: thread.id } })).toBe(0);

    refusedWithTextKept(await post(s, "/account/pseudonym", { pseudonym: "Suspended Rename" }), "Suspended Rename");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: s.user.id } })).pseudonym).toBe(s.user.pseudonym);
  });

  it("still lets a suspended member stop mail, export and sign out", async () => {
    const s = await suspendedMember();
    const thread = await createThread(t.db, await createUser(t.db));
    await t.db.threadSubscription.create({ data: { userId: s.user.id, threadId: thread.id } });
    expect((await post(s, `/t/${thread.id}/follow`, { follow: "off" })).status).toBe(303);
    expect(await t.db.threadSubscription.count({ where: { userId: s.user.id } })).toBe(0);
    expect((await s.agent.get("/account/export")).status).toBe(200);
    expect((await post(s, "/logout", {})).status).toBe(303);
  });
});
