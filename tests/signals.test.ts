// Signals of quality on physicians' answers: "agree" is for other verified physicians (names and count shown),
// "helpful" for patients, and "this answered my question" for the person who asked, which puts that answer first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function signedIn(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

/** A patient's question with two physicians' answers. */
async function questionWithAnswers() {
  const asker = await createUser(t.db, "patient");
  const first = await createUser(t.db, "physician", { fullName: "First Answerer" });
  const second = await createUser(t.db, "physician", { fullName: "Second Answerer" });
  const thread = await createThread(t.db, asker);
  const a1 = await createReply(t.db, first, thread.id, { body: "The first answer." });
  const a2 = await createReply(t.db, second, thread.id, { body: "The second answer." });
  return { asker, first, second, thread, a1, a2 };
}

const mark = (agent: ReturnType<TestApp["agent"]>, page: string, replyId: number, signal: string, on = "yes") =>
  submit(agent, page, `/replies/${replyId}/${signal}`, { on });

describe("agree", () => {
  it("is limited to verified physicians, never on their own answer; names and the count are shown", async () => {
    const { thread, a1, first } = await questionWithAnswers();
    const page = `/t/${thread.id}`;
    for (const persona of ["patient", "unverifiedPhysician", "moderator", "admin"] as const) {
      const res = await mark(await signedIn(await createUser(t.db, persona)), page, a1.id, "agree");
      expect(res.status, persona).toBe(403);
      expect(textOf(res.text)).toContain("Only verified physicians can agree with an answer.");
    }
    expect((await t.http().post(`/replies/${a1.id}/agree`).type("form").send({ on: "yes" })).status).toBe(403); // no token
    const own = await mark(await signedIn(first), page, a1.id, "agree");
    expect(own.status).toBe(403);
    expect(textOf(own.text)).toContain("You can't agree with your own answer.");
    expect(await t.db.agreement.count({ where: { replyId: a1.id } })).toBe(0);

    const colleague = await createUser(t.db, "physician", { fullName: "Agreeing Colleague" });
    const colleagueAgent = await signedIn(colleague);
    const res = await mark(colleagueAgent, page, a1.id, "agree");
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^/t/${thread.id}/[a-z0-9-]+#reply-${a1.id}$`));
    expect((await mark(colleagueAgent, page, a1.id, "agree")).status).toBe(303); // twice: still one
    await mark(await signedIn(await createUser(t.db, "physician", { fullName: "Another Colleague" })), page, a1.id, "agree");
    const text = textOf((await t.http().get(page)).text);
    expect(text).toMatch(/Agreed by Dr\. Agreeing Colleague\s*, Dr\. Another Colleague \(2 physicians\)/);
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: a1.id } })).agreeCount).toBe(2);

    expect((await mark(colleagueAgent, page, a1.id, "agree", "no")).status).toBe(303);
    expect(textOf((await t.http().get(page)).text)).toContain("Agreed by Dr. Another Colleague (1 physician)");
  });

  it("applies to published physicians' answers only", async () => {
    const { thread } = await questionWithAnswers();
    const patientReply = await createReply(t.db, await createUser(t.db, "patient"), thread.id, { body: "Support, not an answer." });
    const pending = await createReply(t.db, await createUser(t.db, "physician"), thread.id, { status: "PENDING" });
    const agent = await signedIn(await createUser(t.db, "physician"));
    const onPatient = await mark(agent, `/t/${thread.id}`, patientReply.id, "agree");
    expect(onPatient.status).toBe(409);
    expect(textOf(onPatient.text)).toContain("Only answers by verified physicians take these marks.");
    expect((await mark(agent, `/t/${thread.id}`, pending.id, "agree")).status).toBe(404);
    expect((await mark(agent, `/t/${thread.id}`, 999_999, "agree")).status).toBe(404);
    const bad = await submit(agent, `/t/${thread.id}`, `/replies/${patientReply.id}/agree`, { on: "maybe" });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("Use the button on the answer to set or clear your mark.");
  });
});

describe("helpful", () => {
  it("is for patients: counted once each, undone on request; physicians and staff are refused", async () => {
    const { thread, a1 } = await questionWithAnswers();
    const page = `/t/${thread.id}`;
    const patient = await signedIn(await createUser(t.db, "patient"));
    expect(textOf((await patient.get(page)).text)).toContain("Helpful answer");
    expect((await mark(patient, page, a1.id, "helpful")).status).toBe(303);
    expect((await mark(patient, page, a1.id, "helpful")).status).toBe(303);
    await mark(await signedIn(await createUser(t.db, "patient")), page, a1.id, "helpful");
    expect(textOf((await t.http().get(page)).text)).toContain("2 people found this helpful");
    expect(textOf((await patient.get(page)).text)).toContain("You found this helpful · undo");
    await mark(patient, page, a1.id, "helpful", "no");
    expect(textOf((await t.http().get(page)).text)).toContain("1 person found this helpful");
    for (const persona of ["physician", "moderator"] as const) {
      const res = await mark(await signedIn(await createUser(t.db, persona)), page, a1.id, "helpful");
      expect(res.status, persona).toBe(403);
    }
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: a1.id } })).helpfulCount).toBe(1);
  });
});

describe("this answered my question", () => {
  it("only the asker marks it; the marked answer is shown first, and one answer at most carries it", async () => {
    const { asker, thread, a1, a2 } = await questionWithAnswers();
    const page = `/t/${thread.id}`;
    const before = (await t.http().get(page)).text;
    expect(before.indexOf(`id="reply-${a1.id}"`)).toBeLessThan(before.indexOf(`id="reply-${a2.id}"`));

    for (const persona of ["patient", "physician", "moderator"] as const) {
      const res = await mark(await signedIn(await createUser(t.db, persona)), page, a2.id, "accept");
      expect(res.status, persona).toBe(403);
    }
    const askerAgent = await signedIn(asker);
    expect(textOf((await askerAgent.get(page)).text)).toContain("This answered my question");
    expect((await mark(askerAgent, page, a2.id, "accept")).status).toBe(303);
    const after = (await t.http().get(page)).text;
    expect(after.indexOf(`id="reply-${a2.id}"`)).toBeLessThan(after.indexOf(`id="reply-${a1.id}"`));
    expect(textOf(after)).toContain("Dr. Second Answerer's answer answered the question, says the person who asked. It is shown first.");

    // Marking the other answer moves the mark; unmarking restores the usual order.
    await mark(askerAgent, page, a1.id, "accept");
    const accepted = await t.db.reply.findMany({ where: { threadId: thread.id, acceptedAt: { not: null } }, select: { id: true } });
    expect(accepted).toEqual([{ id: a1.id }]);
    await mark(askerAgent, page, a1.id, "accept", "no");
    expect(await t.db.reply.count({ where: { threadId: thread.id, acceptedAt: { not: null } } })).toBe(0);
  });

  it("two quick clicks on two answers leave one marked", async () => {
    const { asker, thread, a1, a2 } = await questionWithAnswers();
    const agent = await signedIn(asker);
    const [r1, r2] = await Promise.all([mark(agent, `/t/${thread.id}`, a1.id, "accept"), mark(agent, `/t/${thread.id}`, a2.id, "accept")]);
    expect([r1.status, r2.status]).toEqual([303, 303]);
    expect(await t.db.reply.count({ where: { threadId: thread.id, acceptedAt: { not: null } } })).toBe(1);
  });

  it("is for questions: an article's comment can't be marked", async () => {
    const author = await createUser(t.db, "physician");
    const article = await createThread(t.db, author, { kind: "ARTICLE" });
    const answer = await createReply(t.db, await createUser(t.db, "physician"), article.id);
    const res = await mark(await signedIn(author), `/t/${article.id}`, answer.id, "accept");
    expect(res.status).toBe(409);
  });
});
