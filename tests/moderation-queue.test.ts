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
