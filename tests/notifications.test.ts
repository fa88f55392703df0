// In-app notifications: replies to my question and to my reply, moderators' decisions (with the reason and
// a link), new questions for physicians who follow a category; an unread count in the header; and nothing
// about content that is not approved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let modAgent: ReturnType<TestApp["agent"]>;

async function signedIn(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

const notes = (user: UserFixture) => t.db.notification.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });

beforeAll(async () => {
  t = await buildTestApp();
  modAgent = await signedIn(await createUser(t.db, "moderator"));
});
afterAll(() => t.close());

describe("replies", () => {
  it("a reply is notified when it is approved, never while it is pending", async () => {
    const asker = await createUser(t.db, "patient");
    const thread = await createThread(t.db, asker);
    const other = await signedIn(await createUser(t.db, "patient", { pseudonym: "Willow Replier" }));
    expect(
      (await submit(other, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body: "Same here, following.", parentId: "" })).status,
    ).toBe(303);
    // The reply exists and waits for review: that, not a failed post, is why nobody hears of it.
    const reply = await t.db.reply.findFirstOrThrow({ where: { threadId: thread.id } });
    expect(reply.status).toBe("PENDING");
    expect(await notes(asker)).toHaveLength(0);
    expect(await t.db.outboxEmail.count({ where: { userId: asker.id } })).toBe(0);

    await submit(modAgent, "/moderation", `/moderation/replies/${reply.id}/approve`, {});
    const [note] = await notes(asker);
    expect(note).toMatchObject({ kind: "REPLY_TO_QUESTION", message: "Willow Replier replied to your question" });
    // The thread by id only: the title may change, the thread page gives its current address.
    expect(note?.url).toBe(`/t/${thread.id}#reply-${reply.id}`);
  });

  it("a verified physician's answer to my reply tells me, and tells the asker, by name", async () => {
    const asker = await createUser(t.db, "patient");
    const follower = await createUser(t.db, "patient");
    const thread = await createThread(t.db, asker);
    const mine = await createReply(t.db, follower, thread.id);
    const physician = await createUser(t.db, "physician", { fullName: "Test Notify" });
    const res = await submit(await signedIn(physician), `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "An answer to the follow-up.",
      parentId: String(mine.id),
    });
    expect(res.status).toBe(303);
    expect((await notes(follower)).map((n) => [n.kind, n.message])).toEqual([["REPLY_TO_REPLY", "Dr. Test Notify replied to your reply"]]);
    expect((await notes(asker)).map((n) => n.kind)).toEqual(["REPLY_TO_QUESTION"]);
    expect(await notes(physician)).toHaveLength(0);
  });
});

describe("decisions", () => {
  it("approval, rejection with its reason, and a change request each reach the author with a link", async () => {
    const author = await createUser(t.db, "patient");
    const a = await createThread(t.db, author, { status: "PENDING", title: "A question to approve" });
    const b = await createThread(t.db, author, { status: "PENDING", title: "A question to reject" });
    const c = await createThread(t.db, author, { status: "PENDING", title: "A question to change" });
    await submit(modAgent, "/moderation", `/moderation/threads/${a.id}/approve`, {});
    await submit(modAgent, "/moderation", `/moderation/threads/${b.id}/reject`, {
      reason: "Medical misinformation",
      note: "See our rules.",
    });
    await submit(modAgent, "/moderation", `/moderation/threads/${c.id}/request-changes`, { note: "Please add your age." });
    const list = await notes(author);
    expect(list.map((n) => [n.message, n.detail])).toEqual([
      ["Your question was approved and is now public", null],
      ["Your question was not approved", "Medical misinformation — See our rules."],
      ["A moderator asked for changes to your question", "Please add your age."],
    ]);
    expect(list[1]?.url).toBe(`/t/${b.id}`);

    const agent = await signedIn(author);
    const page = await agent.get("/notifications");
    expect(page.text).toMatch(/Notifications <span class="count-badge">3<span class="visually-hidden"> unread<\/span><\/span>/);
    expect(textOf(page.text)).toContain("Reason: Medical misinformation — See our rules.");
    // Opening one marks it read and goes to the post.
    const open = await agent.get(`/notifications/${list[1]?.id}`);
    expect(open.status).toBe(302);
    expect(open.headers.location).toBe(list[1]?.url);
    expect((await agent.get("/notifications")).text).toContain('class="count-badge">2<');
    expect((await submit(agent, "/notifications", "/notifications/read", {})).status).toBe(303);
    expect((await agent.get("/notifications")).text).not.toContain("count-badge");
  });

  it("nobody can open someone else's notification; readers are sent to sign in", async () => {
    const owner = await createUser(t.db, "patient");
    const n = await t.db.notification.create({ data: { userId: owner.id, kind: "DECISION", message: "Private", url: "/t/1" } });
    const stranger = await signedIn(await createUser(t.db, "patient"));
    expect((await stranger.get(`/notifications/${n.id}`)).status).toBe(404);
    expect((await t.http().get(`/notifications/${n.id}`)).headers.location).toBe("/login?next=%2Fnotifications");
    expect((await stranger.get("/notifications/not-a-number")).status).toBe(404);
    expect((await t.db.notification.findUniqueOrThrow({ where: { id: n.id } })).readAt).toBeNull();
  });
});

describe("new questions for physicians", () => {
  it("a physician following a category hears of a question when it is approved, not before", async () => {
    const physician = await createUser(t.db, "physician");
    const cat = await categoryId(t.db);
    await t.db.physicianProfile.update({ where: { userId: physician.id }, data: { categoryIds: [cat] } });
    const asker = await signedIn(await createUser(t.db, "patient"));
    await submit(asker, "/ask", "/ask", {
      title: "A new question for the followers",
      body: "A question in the category the physician follows.",
      categoryId: String(cat),
      _reviewed: "as-written",
    });
    const thread = await t.db.thread.findFirstOrThrow({ where: { title: "A new question for the followers" } });
    expect(thread.status).toBe("PENDING");
    expect(await notes(physician)).toHaveLength(0);
    expect(await t.db.outboxEmail.count({ where: { userId: physician.id } })).toBe(0);
    await submit(modAgent, "/moderation", `/moderation/threads/${thread.id}/approve`, {});
    expect((await notes(physician)).map((n) => n.kind)).toEqual(["SPECIALTY_QUESTION"]);
  });
});

describe("a question addressed to a physician (Ask Dr. X)", () => {
  it("reaches that physician when it is approved, in the app and by mail without health content", async () => {
    const physician = await createUser(t.db, "physician", { fullName: "Addressee Test" });
    const { handle } = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: physician.id } });
    const asker = await signedIn(await createUser(t.db, "patient"));
    const form = await asker.get(`/ask?to=${handle}`);
    expect(textOf(form.text)).toContain("Ask Dr. Addressee Test");
    const res = await submit(asker, `/ask?to=${handle}`, "/ask", {
      title: "Addressed question about my TSH",
      body: "My TSH was 3.1 before the transfer, is that too high?",
      categoryId: String(await categoryId(t.db)),
      to: handle,
      _reviewed: "as-written",
    });
    expect(res.status).toBe(303);
    const thread = await t.db.thread.findFirstOrThrow({ where: { title: "Addressed question about my TSH" } });
    expect(thread.addressedToId).toBe(physician.id);
    expect(thread.status).toBe("PENDING");
    expect(await notes(physician)).toHaveLength(0);
    expect(await t.db.outboxEmail.count({ where: { userId: physician.id } })).toBe(0);
    await submit(modAgent, "/moderation", `/moderation/threads/${thread.id}/approve`, {});
    expect((await notes(physician)).map((n) => [n.kind, n.message])).toEqual([["ADDRESSED_QUESTION", "A patient asked you a question"]]);
    const mail = await t.db.outboxEmail.findFirstOrThrow({ where: { userId: physician.id } });
    expect(mail.subject).toBe("A patient asked you a question");
    expect(`${mail.subject} ${mail.text} ${mail.path}`).not.toMatch(/TSH|transfer|addressed-question/i);
    expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).toContain("addressed to Dr. Addressee Test");
  });

  it("an unknown or unverified physician is refused with the text kept", async () => {
    const unverified = await createUser(t.db, "unverifiedPhysician");
    const { handle } = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: unverified.id } });
    const asker = await signedIn(await createUser(t.db, "patient"));
    for (const to of [handle, "no-such-doctor", "Bad Handle!"]) {
      const res = await submit(asker, "/ask", "/ask", {
        title: "A question for someone unavailable",
        body: "Text that must come back in the form.",
        categoryId: String(await categoryId(t.db)),
        to,
        _reviewed: "as-written",
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain("Text that must come back in the form.</textarea>");
    }
    expect(await t.db.thread.count({ where: { title: "A question for someone unavailable" } })).toBe(0);
  });
});
