// The whole exchange of issue 2, through HTTP on real PostgreSQL: a patient asks, a moderator approves,
// a verified physician answers, the patient follows up beneath the answer, and a reader sees it nested.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { signUpAndConfirm } from "./helpers/signup.ts";

let t: TestApp;
let moderator: UserFixture;
let physician: UserFixture;

beforeAll(async () => {
  t = await buildTestApp();
  moderator = await createUser(t.db, "moderator");
  physician = await createUser(t.db, "physician", { fullName: "Amara Testwell" });
});
afterAll(() => t.close());

describe("ask, moderate, answer, follow up", () => {
  it("works end to end and reads like a blog comment thread", async () => {
    // A patient signs up, opens the mailed link and is signed in.
    const patient = t.agent();
    const { confirm } = await signUpAndConfirm(t, patient, {
      email: "rose.flow@example.test",
      password: "a long enough password",
      pseudonym: "Rose",
    });
    expect(confirm.status).toBe(303);
    const home = await patient.get("/");
    expect(textOf(home.text)).toContain("Rose");

    // She asks; the question is awaiting moderation, visible to her in place.
    const rpl = String(await categoryId(t.db));
    const ask = await submit(patient, "/ask", "/ask", {
      title: "Losses after a healthy first pregnancy",
      body: "After my first child I have had three early losses. What should be tested?",
      categoryId: rpl,
    });
    expect(ask.status).toBe(303);
    const threadPath = ask.headers.location as string;
    const own = await patient.get(threadPath);
    expect(own.status).toBe(200);
    expect(textOf(own.text)).toContain("Awaiting moderation");

    // Nobody else sees it yet: not a reader, not by URL, not on the home page.
    expect((await t.http().get(threadPath)).status).toBe(404);
    expect((await t.http().get("/c/recurrent-pregnancy-loss")).text).not.toContain("Losses after a healthy first pregnancy");

    // A moderator approves it from the queue.
    const mod = t.agent();
    await logIn(mod, moderator);
    const queue = await mod.get("/moderation");
    expect(textOf(queue.text)).toContain("Losses after a healthy first pregnancy");
    const threadId = Number(threadPath.split("/")[2]);
    const approve = await submit(mod, "/moderation", `/moderation/threads/${threadId}/approve`, {});
    expect(approve.status).toBe(303);
    expect((await t.http().get(threadPath)).status).toBe(200);

    // A verified physician answers; the answer is public at once, signed, with the badge.
    const doc = t.agent();
    await logIn(doc, physician);
    const answer = await submit(doc, threadPath, `/t/${threadId}/replies`, {
      body: "Ask for antiphospholipid antibodies and thyroid tests first.",
      parentId: "",
    });
    expect(answer.status).toBe(303);
    const answerId = Number((answer.headers.location as string).split("#reply-")[1]);
    const afterAnswer = textOf((await t.http().get(threadPath)).text);
    expect(afterAnswer).toContain("Dr. Amara Testwell says:");
    expect(afterAnswer).toContain("MD · Reproductive immunology · verified 2 November 2026");

    // The patient follows up beneath the answer; it awaits moderation, then is approved.
    const followUp = await submit(patient, `${threadPath}?replyto=${answerId}`, `/t/${threadId}/replies`, {
      body: "Thank you. Should the tests be repeated?",
      parentId: String(answerId),
    });
    expect(followUp.status).toBe(303);
    const followUpId = Number((followUp.headers.location as string).split("#reply-")[1]);
    expect(textOf((await patient.get(threadPath)).text)).toContain("Awaiting moderation");
    expect(textOf((await t.http().get(threadPath)).text)).not.toContain("Should the tests be repeated?");
    expect((await submit(mod, "/moderation", `/moderation/replies/${followUpId}/approve`, {})).status).toBe(303);

    // A signed-out reader sees the question, the signed answer, and the follow-up nested beneath it.
    const page = (await t.http().get(threadPath)).text;
    const answerBlock = page.slice(page.indexOf(`id="reply-${answerId}"`));
    expect(answerBlock).toMatch(new RegExp(`<ol class="replies children">\\s*<li class="reply depth-1[^"]*" id="reply-${followUpId}"`));
    expect(textOf(page)).toContain("Rose says:");
    expect(textOf(page)).not.toContain("Awaiting moderation");
    expect(page).not.toContain("rose.flow@example.test");

    // The home page lists it as answered.
    expect(textOf((await t.http().get("/")).text)).toContain("Losses after a healthy first pregnancy");
  });
});
