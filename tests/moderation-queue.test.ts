// Clearing a queue quickly: filters and bulk decisions, each still guarded and logged one by one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn, textOf } from "./helpers/http.ts";

let t: TestApp;
let author: UserFixture;
let moderator: ReturnType<TestApp["agent"]>;

beforeAll(async () => {
  t = await buildTestApp();
  author = await createUser(t.db);
  moderator = t.agent();
  await logIn(moderator, await createUser(t.db, "moderator"));
});
afterAll(() => t.close());

async function bulk(fields: Record<string, string | string[]>) {
  const token = csrfFrom((await moderator.get("/moderation")).text);
  return moderator
    .post("/moderation/bulk")
    .type("form")
    .send({ _csrf: token, ...fields });
}

describe("queue views", () => {
  it("shows one kind of item at a time", async () => {
    await createThread(t.db, author, { title: "A question in the questions view", status: "PENDING" });
    const thread = await createThread(t.db, author);
    await createReply(t.db, author, thread.id, { body: "A reply in the replies view", status: "PENDING" });
    const questions = textOf((await moderator.get("/moderation?show=questions")).text);
    expect(questions).toContain("A question in the questions view");
    expect(questions).not.toContain("A reply in the replies view");
    const replies = textOf((await moderator.get("/moderation?show=replies")).text);
    expect(replies).toContain("A reply in the replies view");
    expect(replies).not.toContain("A question in the questions view");
    expect((await moderator.get("/moderation?show=nonsense")).status).toBe(400);
  });
});

describe("bulk decisions", () => {
  it("approves many at once, each logged", async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createThread(t.db, author, { status: "PENDING" })).id);
    const res = await bulk({ items: ids.map((id) => `threads-${id}`), decision: "approve" });
    expect(res.status).toBe(303);
    expect(textOf((await moderator.get(res.headers.location as string)).text)).toContain("Approved 5.");
    expect(await t.db.thread.count({ where: { id: { in: ids }, status: "APPROVED" } })).toBe(5);
    expect(await t.db.moderationLog.count({ where: { targetId: { in: ids.map(String) }, action: "approve" } })).toBe(5);
  });

  it("rejects many with one reason, and reports what someone else decided first", async () => {
    const thread = await createThread(t.db, author);
    const a = await createReply(t.db, author, thread.id, { status: "PENDING" });
    const b = await createReply(t.db, author, thread.id, { status: "PENDING" });
    await t.db.reply.update({ where: { id: b.id }, data: { status: "APPROVED" } });
    const res = await bulk({
      items: [`replies-${a.id}`, `replies-${b.id}`, "replies-999999"],
      decision: "reject",
      reason: "Spam or advertising",
      note: "",
    });
    expect(res.status).toBe(303);
    expect(textOf((await moderator.get(res.headers.location as string)).text)).toContain(
      "Rejected 1. 2 had already been decided by someone else.",
    );
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: a.id } })).moderationReason).toBe("Spam or advertising");
  });

  it("bad input: nothing selected, no reason, odd items, too many", async () => {
    const none = await bulk({ decision: "approve" });
    expect(none.status).toBe(400);
    expect(textOf(none.text)).toContain("Select at least one item.");
    const thread = await createThread(t.db, author, { status: "PENDING" });
    const noReason = await bulk({ items: `threads-${thread.id}`, decision: "reject", reason: "" });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.text)).toContain("Choose a reason for rejecting.");
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("PENDING");
    expect((await bulk({ items: "applications-1", decision: "approve" })).status).toBe(400);
    expect((await bulk({ items: Array.from({ length: 201 }, (_, i) => `threads-${i + 1}`), decision: "approve" })).status).toBe(400);
  });

  it("is for moderators only", async () => {
    const thread = await createThread(t.db, author, { status: "PENDING" });
    const patient = t.agent();
    await logIn(patient, await createUser(t.db));
    const token = csrfFrom((await patient.get("/account")).text);
    const res = await patient
      .post("/moderation/bulk")
      .type("form")
      .send({ _csrf: token, items: `threads-${thread.id}`, decision: "approve" });
    expect(res.status).toBe(403);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("PENDING");
  });
});

describe("request changes", () => {
  it("sends a post back with a note; it leaves the queue until the author edits it", async () => {
    const agent = t.agent();
    await logIn(agent, author);
    const thread = await createThread(t.db, author, { title: "Question with a clinic name in it", status: "PENDING" });
    const token = csrfFrom((await moderator.get("/moderation")).text);
    const empty = await moderator.post(`/moderation/threads/${thread.id}/request-changes`).type("form").send({ _csrf: token, note: " " });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Tell the author what to change.");
    const res = await moderator
      .post(`/moderation/threads/${thread.id}/request-changes`)
      .type("form")
      .send({ _csrf: token, note: "Please leave out your clinic's name." });
    expect(res.status).toBe(303);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("PENDING");
    expect(textOf((await moderator.get("/moderation")).text)).not.toContain("Question with a clinic name in it");
    const own = textOf((await agent.get(`/t/${thread.id}`)).text);
    expect(own).toContain("A moderator asked for changes.");
    expect(own).toContain("Please leave out your clinic's name.");
    const edit = await agent.get(`/t/${thread.id}/edit`);
    const editToken = csrfFrom(edit.text);
    const cat = String(thread.categoryId);
    expect(
      (
        await agent.post(`/t/${thread.id}/edit`).type("form").send({
          _csrf: editToken,
          title: "Question without the clinic's name",
          body: "The same question, now without the name of my clinic.",
          categoryId: cat,
        })
      ).status,
    ).toBe(303);
    expect(textOf((await moderator.get("/moderation")).text)).toContain("Question without the clinic's name");
    expect(await t.db.moderationLog.count({ where: { action: "request-changes", targetId: String(thread.id) } })).toBe(1);
  });
});

describe("context for the moderator", () => {
  it("shows the author's history and why the post was held", async () => {
    const newcomer = await createUser(t.db);
    await createThread(t.db, newcomer, {
      title: "A newcomer's first question here",
      status: "PENDING",
      body: "See https://a.example and https://b.example",
    });
    const veteran = await createUser(t.db);
    for (let i = 0; i < 3; i++) await createThread(t.db, veteran);
    await createThread(t.db, veteran, { status: "REJECTED" });
    await createThread(t.db, veteran, { title: "A veteran's next question here", status: "PENDING" });
    const html = (await moderator.get("/moderation?show=questions")).text;
    const block = (title: string) => textOf(html.slice(html.indexOf(title), html.indexOf(title) + 1500));
    expect(block("A newcomer&#x27;s first question")).toContain(
      "Held because: the author's first post; 2 links (the limit is 2); every patient post is reviewed.",
    );
    expect(block("A veteran&#x27;s next question")).toContain("3 approved posts · 1 rejected");
  });
});

describe("locking a thread", () => {
  it("stops new replies, and is logged", async () => {
    const thread = await createThread(t.db, author);
    const page = await moderator.get(`/t/${thread.id}`);
    expect(textOf(page.text)).toContain("Lock thread");
    expect(
      (
        await moderator
          .post(`/moderation/threads/${thread.id}/lock`)
          .type("form")
          .send({ _csrf: csrfFrom(page.text) })
      ).status,
    ).toBe(303);
    const agent = t.agent();
    await logIn(agent, author);
    const locked = await agent.get(`/t/${thread.id}`);
    expect(textOf(locked.text)).toContain("A moderator locked this thread");
    expect(locked.text).not.toContain('id="reply-form"');
    const res = await agent
      .post(`/t/${thread.id}/replies`)
      .type("form")
      .send({ _csrf: csrfFrom(locked.text), body: "Trying anyway", parentId: "" });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain("locked this thread");
    expect(res.text).toContain("Trying anyway");
    expect(await t.db.moderationLog.count({ where: { action: "lock", targetId: String(thread.id) } })).toBe(1);
  });
});

describe("claims", () => {
  it("a claimed item is left to its claimer; a lapsed claim returns it to everyone", async () => {
    const other = t.agent();
    await logIn(other, await createUser(t.db, "moderator", { pseudonym: "Claimer Ana" }));
    const thread = await createThread(t.db, author, { title: "An item two moderators want", status: "PENDING" });
    const otherToken = csrfFrom((await other.get("/moderation")).text);
    expect((await other.post(`/moderation/threads/${thread.id}/claim`).type("form").send({ _csrf: otherToken })).status).toBe(303);
    const queue = textOf((await moderator.get("/moderation")).text);
    expect(queue).toContain("Claimer Ana is working on this");

    const token = csrfFrom((await moderator.get("/moderation")).text);
    const blocked = await moderator.post(`/moderation/threads/${thread.id}/approve`).type("form").send({ _csrf: token });
    expect(blocked.status).toBe(409);
    expect(textOf(blocked.text)).toContain("Claimer Ana is working on this item");
    expect((await moderator.post(`/moderation/threads/${thread.id}/claim`).type("form").send({ _csrf: token })).status).toBe(409);

    // The claim lapses after 15 minutes: the item is everyone's again, and Ana's stale claim no longer protects it.
    await t.db.thread.update({ where: { id: thread.id }, data: { claimedAt: new Date(Date.now() - 16 * 60_000) } });
    expect((await moderator.post(`/moderation/threads/${thread.id}/claim`).type("form").send({ _csrf: token })).status).toBe(303);
    const stale = await other
      .post(`/moderation/threads/${thread.id}/reject`)
      .type("form")
      .send({ _csrf: otherToken, reason: "Spam or advertising", note: "" });
    expect(stale.status).toBe(409);
    expect((await moderator.post(`/moderation/threads/${thread.id}/release`).type("form").send({ _csrf: token })).status).toBe(303);
    expect((await moderator.post(`/moderation/threads/${thread.id}/release`).type("form").send({ _csrf: token })).status).toBe(409);
    expect((await other.post(`/moderation/threads/${thread.id}/approve`).type("form").send({ _csrf: otherToken })).status).toBe(303);
  });

  it("unknown items are 404", async () => {
    const token = csrfFrom((await moderator.get("/moderation")).text);
    expect((await moderator.post("/moderation/threads/999999/claim").type("form").send({ _csrf: token })).status).toBe(404);
  });
});

describe("reversing a decision", () => {
  it("a rejection reversed publishes the post; an approval reversed puts it back in the queue; both logged", async () => {
    const thread = await createThread(t.db, author, { title: "Rejected by mistake, then reversed", status: "REJECTED" });
    const log = await moderator.get("/moderation/log");
    const token = csrfFrom(log.text);
    const empty = await moderator
      .post(`/moderation/threads/${thread.id}/reverse`)
      .type("form")
      .send({ _csrf: token, note: "", entry: "1" });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Say why you are reversing this decision.");
    expect(
      (await moderator.post(`/moderation/threads/${thread.id}/reverse`).type("form").send({ _csrf: token, note: "It was fine." })).status,
    ).toBe(303);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("APPROVED");
    expect((await t.http().get(`/t/${thread.id}`)).status).toBe(200);

    expect(
      (await moderator.post(`/moderation/threads/${thread.id}/reverse`).type("form").send({ _csrf: token, note: "Needs another look." }))
        .status,
    ).toBe(303);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("PENDING");
    expect((await t.http().get(`/t/${thread.id}`)).status).toBe(404);
    const entries = await t.db.moderationLog.findMany({
      where: { action: "reverse", targetId: String(thread.id) },
      orderBy: { id: "asc" },
    });
    expect(entries.map((e) => e.reason)).toEqual(["rejected → approved", "approved → pending"]);

    const pending = await moderator.post(`/moderation/threads/${thread.id}/reverse`).type("form").send({ _csrf: token, note: "Again" });
    expect(pending.status).toBe(409);
    expect(textOf(pending.text)).toContain("no decision to reverse");
  });
});

describe("suspending and silencing", () => {
  it("a suspended member cannot post and is told why, with their text kept; lifting restores posting", async () => {
    const member = await createUser(t.db, "patient", { pseudonym: "Suspended Sam" });
    const agent = t.agent();
    await logIn(agent, member);
    const page = await moderator.get(`/moderation/users/${member.id}`);
    expect(textOf(page.text)).toContain("Suspended Sam");
    const token = csrfFrom(page.text);
    const bad = await moderator
      .post(`/moderation/users/${member.id}/restrict`)
      .type("form")
      .send({ _csrf: token, action: "suspend", days: "0", message: "" });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("At least 1 day.");
    const res = await moderator
      .post(`/moderation/users/${member.id}/restrict`)
      .type("form")
      .send({ _csrf: token, action: "suspend", days: "3", message: "Repeated advertising." });
    expect(res.status).toBe(303);

    const ask = await agent.get("/ask");
    const attempt = await agent
      .post("/ask")
      .type("form")
      .send({ _csrf: csrfFrom(ask.text), title: "A question while suspended", body: "Typed while suspended, and kept.", categoryId: "1" });
    expect(attempt.status).toBe(403);
    expect(textOf(attempt.text)).toContain("Your account is suspended until");
    expect(textOf(attempt.text)).toContain("Repeated advertising.");
    expect(attempt.text).toContain("Typed while suspended, and kept.");
    expect(await t.db.thread.count({ where: { title: "A question while suspended" } })).toBe(0);

    await moderator
      .post(`/moderation/users/${member.id}/restrict`)
      .type("form")
      .send({ _csrf: token, action: "lift", days: "1", message: "" });
    const again = await agent
      .post("/ask")
      .type("form")
      .send({
        _csrf: csrfFrom(ask.text),
        title: "A question after the suspension",
        body: "Posting again after the suspension was lifted.",
        categoryId: "1",
      });
    expect(again.status).toBe(303);
    const actions = (await t.db.moderationLog.findMany({ where: { targetType: "USER", targetId: member.id }, orderBy: { id: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(["suspend", "lift"]);
  });

  it("a silenced verified physician's posts are held for review", async () => {
    const doctor = await createUser(t.db, "physician");
    const token = csrfFrom((await moderator.get(`/moderation/users/${doctor.id}`)).text);
    await moderator
      .post(`/moderation/users/${doctor.id}/restrict`)
      .type("form")
      .send({ _csrf: token, action: "silence", days: "7", message: "Please cite sources." });
    const agent = t.agent();
    await logIn(agent, doctor);
    const thread = await createThread(t.db, author);
    const page = await agent.get(`/t/${thread.id}`);
    await agent
      .post(`/t/${thread.id}/replies`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), body: "An answer while silenced.", parentId: "" });
    expect((await t.db.reply.findFirstOrThrow({ where: { body: "An answer while silenced." } })).status).toBe("PENDING");
  });

  it("moderators cannot be restricted here, and unknown members are 404", async () => {
    const other = await createUser(t.db, "moderator");
    const page = await moderator.get(`/moderation/users/${other.id}`);
    expect(textOf(page.text)).toContain("can't be suspended or silenced here");
    const res = await moderator
      .post(`/moderation/users/${other.id}/restrict`)
      .type("form")
      .send({ _csrf: csrfFrom((await moderator.get("/moderation")).text), action: "suspend", days: "3", message: "x" });
    expect(res.status).toBe(403);
    expect((await moderator.get("/moderation/users/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await moderator.get("/moderation/users/not-a-uuid")).status).toBe(404);
  });
});

describe("a queue longer than the page", () => {
  it("counts everything waiting, and a list that shows only its first 100 says how many wait in all", async () => {
    const category = await t.db.category.findFirstOrThrow();
    const made = await t.db.thread.createManyAndReturn({
      data: Array.from({ length: 130 }, (_, i) => ({
        title: `Long queue question ${i + 1}`,
        body: `Waiting question number ${i + 1}, long enough to be valid.`,
        categoryId: category.id,
        authorId: author.id,
        status: "PENDING" as const,
      })),
      select: { id: true },
    });
    try {
      const questions = await t.db.thread.count({ where: { status: "PENDING", withdrawnAt: null, changesRequestedAt: null } });
      const replies = await t.db.reply.count({ where: { status: "PENDING", changesRequestedAt: null } });
      const applications = await t.db.physicianProfile.count({ where: { status: "PENDING" } });
      const reported = (await t.db.flag.groupBy({ by: ["threadId", "replyId"], where: { status: "OPEN" } })).length;
      const edits = await t.db.postRevision.count({ where: { status: "PENDING" } });
      expect(questions).toBeGreaterThanOrEqual(130);

      const page = textOf((await moderator.get("/moderation?show=questions")).text);
      expect(page).toContain(`Showing the first 100 of ${questions} questions, urgent first, then oldest.`);
      // The overview shows the first few of each list, and links to the list's own view.
      const overview = (await moderator.get("/moderation")).text;
      expect(textOf(overview)).toContain(`Showing the first 20 of ${questions} questions, urgent first, then oldest. Show more questions`);
      expect(overview).toContain('href="/moderation?show&#x3D;questions"');
      expect(overview.match(/<article class="queue-item" id="threads-/g)?.length).toBe(20);
      const total = questions + replies + applications + reported + edits;
      expect(page).toContain(`${total.toLocaleString("en")} items waiting.`);
      // Lists that fit say nothing more.
      expect(textOf((await moderator.get("/moderation?show=replies")).text)).not.toContain("Showing the first");
    } finally {
      await t.db.thread.deleteMany({ where: { id: { in: made.map((m) => m.id) } } });
    }
    expect(textOf((await moderator.get("/moderation?show=questions")).text)).not.toContain("Showing the first");
  });
});
