// Hourly posting limits for every account, past the first day too (issue #20, item 8): an established account
// can't flood the queue; staff are exempt; the limits are admin settings, logged like the others.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { DEFAULT_SETTINGS_FORM } from "./helpers/settings.ts";

type Agent = ReturnType<TestApp["agent"]>;
let t: TestApp;
let admin: Agent;
let cat: string;

async function signedIn(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

const save = (agent: Agent, fields: Partial<typeof DEFAULT_SETTINGS_FORM>) =>
  submit(agent, "/admin/settings", "/admin/settings", { ...DEFAULT_SETTINGS_FORM, ...fields });

const ask = (agent: Agent, title: string, body: string) =>
  submit(agent, "/ask", "/ask", { title, body, categoryId: cat, _reviewed: "as-written" });

const replyTo = (agent: Agent, threadId: number, body: string) =>
  submit(agent, `/t/${threadId}`, `/t/${threadId}/replies`, { body, parentId: "" });

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signedIn(await createUser(t.db, "admin"));
  cat = String(await categoryId(t.db));
});
afterEach(async () => {
  await t.db.siteSettings.deleteMany();
});
afterAll(() => t.close());

describe("hourly limits on questions", () => {
  it("refuses an established account's question past the hourly limit with 429, the limit, the time and the text kept", async () => {
    const veteran = await createUser(t.db, "patient");
    const agent = await signedIn(veteran);
    for (let i = 1; i <= 10; i++)
      expect((await ask(agent, `Established account question ${i}`, "A question from a month-old account.")).status).toBe(303);
    const eleventh = await ask(agent, "Established account question 11", "The eleventh question within the hour.");
    expect(eleventh.status).toBe(429);
    const text = textOf(eleventh.text);
    expect(text).toContain("Each account can send 10 questions an hour, and you have reached that.");
    const first = await t.db.thread.findFirstOrThrow({ where: { authorId: veteran.id }, orderBy: { createdAt: "asc" } });
    const again = new Date(Math.ceil((first.createdAt.getTime() + 3_600_000) / 60_000) * 60_000).toISOString().slice(11, 16);
    expect(text).toContain(`You can send more from ${again} UTC`);
    expect(eleventh.text).toContain("Established account question 11");
    expect(eleventh.text).toContain("The eleventh question within the hour.</textarea>");
    expect(await t.db.thread.count({ where: { authorId: veteran.id } })).toBe(10);
  });

  it("follows the admin's setting, and questions older than an hour don't count", async () => {
    expect((await save(admin, { questionsPerHour: "2" })).status).toBe(303);
    const veteran = await createUser(t.db, "patient");
    const old = await createThread(t.db, veteran);
    await t.db.thread.update({ where: { id: old.id }, data: { createdAt: minutesAgo(61) } });
    const recent = await createThread(t.db, veteran);
    await t.db.thread.update({ where: { id: recent.id }, data: { createdAt: minutesAgo(30) } });
    const agent = await signedIn(veteran);
    expect((await ask(agent, "Second question in this hour", "One older than an hour is not counted.")).status).toBe(303);
    const third = await ask(agent, "Third question in this hour", "This one is over the limit of two.");
    expect(third.status).toBe(429);
    expect(textOf(third.text)).toContain("Each account can send 2 questions an hour");
  });

  it("doesn't count articles, replies or edits against questions", async () => {
    await save(admin, { questionsPerHour: "1" });
    const veteran = await createUser(t.db, "patient");
    const thread = await createThread(t.db, await createUser(t.db, "patient"));
    await createThread(t.db, veteran, { kind: "ARTICLE" });
    await createReply(t.db, veteran, thread.id);
    const agent = await signedIn(veteran);
    expect((await ask(agent, "The only question this hour", "Replies and articles are counted apart.")).status).toBe(303);
    const mine = await t.db.thread.findFirstOrThrow({ where: { title: "The only question this hour" } });
    // Editing the question sent is not a new question.
    const edit = await submit(agent, `/t/${mine.id}/edit`, `/t/${mine.id}/edit`, {
      title: "The only question this hour, edited",
      body: "Replies and articles are counted apart, still.",
      categoryId: cat,
    });
    expect(edit.status).not.toBe(429);
    expect((await ask(agent, "A second question this hour", "Over the limit of one.")).status).toBe(429);
  });

  it("lets a verified physician publish articles past the question limit", async () => {
    await save(admin, { questionsPerHour: "1" });
    const physician = await createUser(t.db, "physician");
    for (let i = 0; i < 2; i++) await createThread(t.db, physician, { kind: "QUESTION" });
    const agent = await signedIn(physician);
    const res = await submit(agent, "/articles/new", "/articles/new", {
      title: "Progesterone support after recurrent loss",
      body: "What the trials say about progesterone support, in plain words, for patients. ".repeat(8),
      categoryId: cat,
      tags: "",
      references: "",
    });
    expect(res.status).toBe(303);
    expect(await t.db.thread.count({ where: { authorId: physician.id, kind: "ARTICLE" } })).toBe(1);
  });

  it("doesn't limit moderators or admins", async () => {
    await save(admin, { questionsPerHour: "1", repliesPerHour: "1" });
    const moderator = await createUser(t.db, "moderator");
    for (let i = 0; i < 3; i++) await createThread(t.db, moderator);
    const agent = await signedIn(moderator);
    expect((await ask(agent, "A moderator's fourth question", "Staff are not limited per hour.")).status).toBe(303);
    const thread = await createThread(t.db, await createUser(t.db, "patient"));
    for (let i = 0; i < 3; i++) expect((await replyTo(agent, thread.id, `A moderator's reply ${i}`)).status).toBe(303);
  });

  it("still applies the first-day limit to a new account", async () => {
    await save(admin, { newAccountQuestions: "1", questionsPerHour: "10" });
    const agent = await signedIn(await createUser(t.db, "patient", { createdAt: new Date() }));
    expect((await ask(agent, "A new account's first question", "The first of the first day.")).status).toBe(303);
    const second = await ask(agent, "A new account's second question", "Over the first-day limit.");
    expect(second.status).toBe(429);
    expect(textOf(second.text)).toContain("New accounts can send 1 question in their first day");
  });
});

describe("hourly limits on replies", () => {
  it("refuses an established account's reply past the hourly limit, with the text kept; older replies don't count", async () => {
    await save(admin, { repliesPerHour: "2" });
    const veteran = await createUser(t.db, "patient");
    const thread = await createThread(t.db, await createUser(t.db, "patient"));
    const old = await createReply(t.db, veteran, thread.id);
    await t.db.reply.update({ where: { id: old.id }, data: { createdAt: minutesAgo(90) } });
    const agent = await signedIn(veteran);
    expect((await replyTo(agent, thread.id, "First reply in this hour")).status).toBe(303);
    expect((await replyTo(agent, thread.id, "Second reply in this hour")).status).toBe(303);
    const third = await replyTo(agent, thread.id, "Third reply in this hour");
    expect(third.status).toBe(429);
    expect(textOf(third.text)).toContain("Each account can send 2 replies an hour, and you have reached that.");
    expect(textOf(third.text)).toMatch(/You can send more from \d\d:\d\d UTC/);
    expect(third.text).toContain("Third reply in this hour</textarea>");
    expect(await t.db.reply.count({ where: { authorId: veteran.id } })).toBe(3);
  });

  it("limits a verified physician's replies too", async () => {
    await save(admin, { repliesPerHour: "1" });
    const physician = await createUser(t.db, "physician");
    const thread = await createThread(t.db, await createUser(t.db, "patient"));
    await createReply(t.db, physician, thread.id);
    const res = await replyTo(await signedIn(physician), thread.id, "A second answer from the physician this hour.");
    expect(res.status).toBe(429);
    expect(res.text).toContain("A second answer from the physician this hour.</textarea>");
  });
});

describe("the hourly limits in the admin settings", () => {
  it("saves whole numbers in range, shows them, and logs the change", async () => {
    const res = await save(admin, { questionsPerHour: "7", repliesPerHour: "45" });
    expect(res.status).toBe(303);
    expect(await t.db.siteSettings.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ questionsPerHour: 7, repliesPerHour: 45 });
    const page = (await admin.get("/admin/settings")).text;
    expect(page).toMatch(/id="questionsPerHour"[^>]*value="7"/);
    expect(page).toMatch(/id="repliesPerHour"[^>]*value="45"/);
    const log = await t.db.moderationLog.findFirstOrThrow({ where: { action: "settings" }, orderBy: { id: "desc" } });
    expect(log.note).toContain("per hour 7 questions / 45 replies");
  });

  it.each([
    ["0", "1.5", "Questions per hour: at least 1.", "Replies per hour: give a whole number."],
    ["101", "501", "Questions per hour: at most 100.", "Replies per hour: at most 500."],
    ["many", "", "Questions per hour: give a number.", "Replies per hour:"],
  ])("refuses questions %j and replies %j with field errors and the text kept", async (questions, replies, qError, rError) => {
    const res = await save(admin, { questionsPerHour: questions, repliesPerHour: replies, watchedHold: "kept words" });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain(qError);
    expect(text).toContain(rError);
    expect(res.text).toMatch(new RegExp(`id="questionsPerHour"[^>]*value="${questions}"`));
    expect(res.text).toContain(">kept words</textarea>");
    expect(await t.db.siteSettings.count()).toBe(0);
  });

  it("refuses the change from a moderator, a patient and a suspended admin", async () => {
    const moderator = await signedIn(await createUser(t.db, "moderator"));
    expect((await submit(moderator, "/moderation", "/admin/settings", { ...DEFAULT_SETTINGS_FORM, questionsPerHour: "99" })).status).toBe(
      403,
    );
    const patient = await signedIn(await createUser(t.db, "patient"));
    expect((await submit(patient, "/ask", "/admin/settings", { ...DEFAULT_SETTINGS_FORM, questionsPerHour: "99" })).status).toBe(403);

    const suspendedAdmin = await createUser(t.db, "admin");
    const agent = await signedIn(suspendedAdmin);
    await t.db.user.update({ where: { id: suspendedAdmin.id }, data: { suspendedUntil: new Date(Date.now() + 86_400_000) } });
    const res = await save(agent, { questionsPerHour: "99" });
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain("Your account is suspended until");
    expect(res.text).toMatch(/id="questionsPerHour"[^>]*value="99"/);
    expect(await t.db.siteSettings.count()).toBe(0);
  });
});
