// The admin settings page and the rules it sets: holding (every post, or until N approved), links, watched
// words that hold or block, first-day limits, the rejection-reason list, and what reports do.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { DEFAULT_SETTINGS_FORM } from "./helpers/settings.ts";

let t: TestApp;
let admin: ReturnType<TestApp["agent"]>;
let modAgent: ReturnType<TestApp["agent"]>;
let cat: string;

const DEFAULTS = DEFAULT_SETTINGS_FORM;

async function save(fields: Partial<typeof DEFAULTS>) {
  return submit(admin, "/admin/settings", "/admin/settings", { ...DEFAULTS, ...fields });
}

async function signedIn(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

async function ask(agent: ReturnType<TestApp["agent"]>, title: string, body: string) {
  return submit(agent, "/ask", "/ask", { title, body, categoryId: cat, _reviewed: "as-written" });
}

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signedIn(await createUser(t.db, "admin"));
  modAgent = await signedIn(await createUser(t.db, "moderator"));
  cat = String(await categoryId(t.db));
});
afterEach(async () => {
  await t.db.siteSettings.deleteMany();
});
afterAll(() => t.close());

describe("the settings page", () => {
  it("shows the defaults, saves changes, and records who changed them in the log", async () => {
    const page = textOf((await admin.get("/admin/settings")).text);
    expect(page).toContain("Hold every patient post for review");
    expect(page).toContain("Contains identifying details");
    const res = await save({ holdMode: "trusted", trustAfterApproved: "5", watchedHold: "clinic\nlawsuit" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/admin/settings?notice=saved");
    const row = await t.db.siteSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect(row).toMatchObject({ trustAfterApproved: 5, watchedHold: ["clinic", "lawsuit"], holdLinksAt: 2 });
    const log = await t.db.moderationLog.findFirstOrThrow({ where: { action: "settings" } });
    expect(log.note).toContain("until 5 approved");
    expect(textOf((await admin.get("/admin/settings?notice=saved")).text)).toContain("Settings saved");
  });

  it("re-renders bad input with field errors and the admin's text kept", async () => {
    const res = await save({
      holdMode: "trusted",
      trustAfterApproved: "",
      watchedHold: "spam words",
      watchedBlock: "Spam Words",
      holdLinksAt: "0",
    });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("Say after how many approved posts an author is trusted.");
    expect(text).toContain('"spam words" is in both lists. Keep it in one.');
    expect(text).toContain("Links: at least 1.");
    expect(res.text).toContain(">spam words</textarea>");
    const empty = await save({ rejectionReasons: "  \n " });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Rejection reasons: give at least 1.");
    expect(await t.db.siteSettings.count()).toBe(0);
  });

  it("is for admins only: moderators and patients are refused, readers sent to sign in", async () => {
    expect((await modAgent.get("/admin/settings")).status).toBe(403);
    const patient = await signedIn(await createUser(t.db, "patient"));
    expect((await patient.get("/admin/settings")).status).toBe(403);
    expect((await t.http().get("/admin/settings")).headers.location).toBe("/login?next=%2Fadmin%2Fsettings");
    // A moderator's forged post changes nothing.
    const forged = await submit(modAgent, "/moderation", "/admin/settings", { ...DEFAULTS, holdLinksAt: "9" });
    expect(forged.status).toBe(403);
    expect(await t.db.siteSettings.count()).toBe(0);
  });
});

describe("holding rules", () => {
  it("holds every patient post by default, however many were approved before", async () => {
    const patient = await createUser(t.db, "patient");
    for (let i = 0; i < 3; i++) await createThread(t.db, patient);
    const res = await ask(await signedIn(patient), "Still held after three approvals", "Every patient post waits by default here.");
    expect(res.status).toBe(303);
    expect((await t.db.thread.findFirstOrThrow({ where: { title: "Still held after three approvals" } })).status).toBe("PENDING");
  });

  it("publishes at once for a patient with N approved posts, but still holds links, watched words and emergencies", async () => {
    expect((await save({ holdMode: "trusted", trustAfterApproved: "2", watchedHold: "lawsuit" })).status).toBe(303);
    const trusted = await createUser(t.db, "patient");
    await createThread(t.db, trusted);
    await createReply(t.db, trusted, (await createThread(t.db, trusted)).id);
    const newcomer = await createUser(t.db, "patient");
    await createThread(t.db, newcomer);
    const trustedAgent = await signedIn(trusted);
    const status = async (title: string) => (await t.db.thread.findFirstOrThrow({ where: { title } })).status;

    await ask(trustedAgent, "Trusted author, plain question", "Nothing special in this question at all.");
    expect(await status("Trusted author, plain question")).toBe("APPROVED");
    await ask(await signedIn(newcomer), "Newcomer with one approval", "Only one approved post so far, so it waits.");
    expect(await status("Newcomer with one approval")).toBe("PENDING");
    await ask(trustedAgent, "Trusted author with two links", "See https://a.example/x and https://b.example/y please.");
    expect(await status("Trusted author with two links")).toBe("PENDING");
    await ask(trustedAgent, "Trusted author and a watched word", "Thinking about a Lawsuit against the hospital.");
    expect(await status("Trusted author and a watched word")).toBe("PENDING");
    await ask(trustedAgent, "Trusted author, heavy bleeding now", "I have heavy bleeding and severe pain right now.");
    expect(await status("Trusted author, heavy bleeding now")).toBe("PENDING");

    const queue = textOf((await modAgent.get("/moderation?show=questions")).text);
    expect(queue).toContain('watched word "lawsuit"');
    expect(queue).toContain("2 links (the limit is 2)");
    expect(queue).toContain("the author has 1 of 2 approved posts needed to skip review");
  });

  it("a lower link limit holds even a verified physician's post", async () => {
    await save({ holdLinksAt: "1" });
    const physician = await createUser(t.db, "physician");
    const thread = await createThread(t.db, await createUser(t.db, "patient"));
    const agent = await signedIn(physician);
    const res = await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "Please read https://pubmed.example/123 first.",
      parentId: "",
    });
    expect(res.status).toBe(303);
    expect((await t.db.reply.findFirstOrThrow({ where: { threadId: thread.id } })).status).toBe("PENDING");
  });

  it("a blocked word refuses the post, names the word, and keeps the text", async () => {
    await save({ watchedBlock: "miracle cure" });
    const agent = await signedIn(await createUser(t.db, "patient"));
    const res = await ask(agent, "Asking about a supplement", "Someone sold me a Miracle Cure for implantation failure.");
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('This contains "miracle cure", which can\'t be posted on Curbside.');
    expect(res.text).toContain("Someone sold me a Miracle Cure for implantation failure.</textarea>");
    expect(await t.db.thread.count({ where: { title: "Asking about a supplement" } })).toBe(0);
    // Whole words only: "miracles cured" is not the blocked phrase.
    const fine = await ask(agent, "Asking about miracles", "No miracles cured anything, sadly, but thank you.");
    expect(fine.status).toBe(303);
  });
});

describe("first-day limits", () => {
  it("stops a new account's fourth question on its first day, with the text kept; older accounts are not limited", async () => {
    const fresh = await createUser(t.db, "patient", { createdAt: new Date() });
    const agent = await signedIn(fresh);
    for (let i = 1; i <= 3; i++)
      expect((await ask(agent, `First-day question number ${i}`, "A question from a brand new account.")).status).toBe(303);
    const fourth = await ask(agent, "First-day question number 4", "The fourth question of the first day.");
    expect(fourth.status).toBe(429);
    expect(textOf(fourth.text)).toContain("New accounts can send 3 questions in their first day");
    expect(fourth.text).toContain("The fourth question of the first day.</textarea>");
    expect(await t.db.thread.count({ where: { authorId: fresh.id } })).toBe(3);

    const old = await signedIn(await createUser(t.db, "patient"));
    for (let i = 1; i <= 4; i++)
      expect((await ask(old, `Older account question ${i}`, "An older account is not limited.")).status).toBe(303);
  });

  it("limits replies too, as configured", async () => {
    await save({ newAccountReplies: "2" });
    const fresh = await createUser(t.db, "patient", { createdAt: new Date() });
    const agent = await signedIn(fresh);
    const thread = await createThread(t.db, await createUser(t.db, "patient"));
    const reply = (body: string) => submit(agent, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body, parentId: "" });
    expect((await reply("First reply of the day")).status).toBe(303);
    expect((await reply("Second reply of the day")).status).toBe(303);
    const third = await reply("Third reply of the day");
    expect(third.status).toBe(429);
    expect(textOf(third.text)).toContain("New accounts can send 2 replies in their first day");
    expect(third.text).toContain("Third reply of the day</textarea>");
  });
});

describe("rejection reasons", () => {
  it("moderators choose from the configured list plus Other; a removed reason is refused", async () => {
    await save({ rejectionReasons: "Needs a clearer question\nContains identifying details" });
    const patient = await createUser(t.db, "patient");
    const thread = await createThread(t.db, patient, { status: "PENDING" });
    const queue = (await modAgent.get("/moderation?show=questions")).text;
    expect(queue).toContain("<option>Needs a clearer question</option>");
    expect(queue).toContain("<option>Other</option>");
    expect(queue).not.toContain("<option>Off-topic for Curbside</option>");
    const old = await submit(modAgent, "/moderation", `/moderation/threads/${thread.id}/reject`, { reason: "Off-topic for Curbside" });
    expect(old.status).toBe(400);
    expect(textOf(old.text)).toContain("Choose a reason from the list.");
    const res = await submit(modAgent, "/moderation", `/moderation/threads/${thread.id}/reject`, { reason: "Needs a clearer question" });
    expect(res.status).toBe(303);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).moderationReason).toBe("Needs a clearer question");
  });
});

/** A month-old member with an approved post: their reports count toward hiding. */
async function establishedMember() {
  const user = await createUser(t.db, "patient");
  await createThread(t.db, user);
  return user;
}

describe("what reports do", () => {
  it("set to hide: enough reports hide the post from everyone but its author; dismissing brings it back", async () => {
    await save({ flagThreshold: "2", flagAction: "HIDE" });
    const author = await createUser(t.db, "patient");
    const thread = await createThread(t.db, author, { title: "A post that two people report" });
    for (let i = 0; i < 2; i++) {
      const reporter = await signedIn(await establishedMember());
      expect((await submit(reporter, `/t/${thread.id}/report`, `/t/${thread.id}/report`, { reason: "SPAM" })).status).toBe(200);
    }
    expect((await t.http().get(`/t/${thread.id}`)).status).toBe(404);
    expect(textOf((await t.http().get("/c/recurrent-pregnancy-loss")).text)).not.toContain("A post that two people report");
    const own = textOf((await (await signedIn(author)).get(`/t/${thread.id}`)).text);
    expect(own).toContain("Hidden after several reports");
    expect(textOf((await modAgent.get("/moderation?show=reports")).text)).toContain("A post that two people report");

    expect((await submit(modAgent, "/moderation", `/moderation/threads/${thread.id}/dismiss-flags`, {})).status).toBe(303);
    expect((await t.http().get(`/t/${thread.id}`)).status).toBe(200);
  });

  it("set to escalate (the default): the post stays public and becomes urgent", async () => {
    await save({ flagThreshold: "1" });
    const thread = await createThread(t.db, await createUser(t.db, "patient"));
    const reporter = await signedIn(await establishedMember());
    await submit(reporter, `/t/${thread.id}/report`, `/t/${thread.id}/report`, { reason: "MISINFORMATION" });
    const row = await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(row).toMatchObject({ status: "APPROVED", urgent: true });
  });
});
