// A verified physician's "medical misinformation" report hides the post at once (issue #22): off the public page,
// search, feeds, the sitemap and the page cache, while its author still sees it with a note. Patients' reports, and
// physicians who are unverified, revoked, lapsed or suspended, keep the usual thresholds. Moderators see these
// reports first and restore the post or keep it hidden, in the log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";
import { within } from "./helpers/wait.ts";

let t: TestApp;
let moderator: ReturnType<TestApp["agent"]>;

beforeAll(async () => {
  t = await buildTestApp({ PAGE_CACHE: "true" });
  moderator = t.agent();
  await logIn(moderator, await createUser(t.db, "moderator"));
}, 120_000);
afterAll(() => t.close());

const SKIP = "You should skip the heparin entirely; thrombophilia never matters for implantation.";

async function agentFor(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

async function report(agent: ReturnType<TestApp["agent"]>, path: string, fields: Record<string, string>) {
  return submit(agent, `${path}/report`, `${path}/report`, fields);
}

/** A public question, with a physician's answer so that it is in the answered feed too. */
async function publicQuestion(author: UserFixture, body = SKIP) {
  const word = `zyx${Math.random().toString(36).slice(2, 8)}`;
  const thread = await createThread(t.db, author, { title: `Heparin before transfer ${word}`, body: `${body} ${word}` });
  const answerer = await createUser(t.db, "physician");
  await createReply(t.db, answerer, thread.id, { body: "An answer from another physician." });
  await t.db.thread.update({ where: { id: thread.id }, data: { answeredAt: new Date() } });
  return { thread, word };
}

/** Asks for a signed-out page until the page cache stores it. */
async function cached(path: string) {
  await within(10_000, async () => (await t.http().get(path)).headers["x-page-cache"] === "hit");
}

describe("a verified physician's misinformation report", () => {
  it("hides the post at once: page, search, feeds, sitemap and cached pages", async () => {
    const author = await createUser(t.db);
    const { thread, word } = await publicQuestion(author);
    const path = `/t/${thread.id}`;
    const category = await t.db.category.findUniqueOrThrow({ where: { id: thread.categoryId } });
    await cached(path);
    await cached("/sitemap.xml");
    await cached(`/c/${category.slug}/feed.atom`);
    expect(textOf((await t.http().get(`/search?q=${word}`)).text)).toContain(`1 result ${thread.title}`);

    const physician = await agentFor(await createUser(t.db, "physician"));
    const res = await report(physician, path, { reason: "MISINFORMATION", note: "Stopping anticoagulation is dangerous." });
    expect(res.status).toBe(200);

    const row = await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(row.status).toBe("HIDDEN");
    await within(10_000, async () => (await t.http().get(path)).status === 404);
    expect(textOf((await t.http().get(`/search?q=${word}`)).text)).toContain("0 results");
    await within(10_000, async () => !(await t.http().get("/sitemap.xml")).text.includes(path));
    await within(10_000, async () => !(await t.http().get(`/c/${category.slug}/feed.atom`)).text.includes(`${path}-`));
    expect((await t.http().get("/feeds/answered.atom")).text).not.toContain(word);
  }, 120_000);

  it("shows the author their post with a note, and tells them in the app only", async () => {
    const author = await createUser(t.db);
    const { thread } = await publicQuestion(author);
    const physician = await agentFor(await createUser(t.db, "physician"));
    await report(physician, `/t/${thread.id}`, { reason: "MISINFORMATION", note: "" });

    const own = await (await agentFor(author)).get(`/t/${thread.id}`);
    expect(own.status).toBe(200);
    const text = textOf(own.text);
    expect(text).toContain("Hidden while a moderator reviews a physician's report");
    expect(text).toContain("A moderator will either restore the post or keep it hidden");
    const note = await t.db.notification.findFirstOrThrow({ where: { userId: author.id }, orderBy: { id: "desc" } });
    expect(note.message).toBe("Your question is hidden while a moderator reviews a physician's report");
    expect(await t.db.outboxEmail.count({ where: { userId: author.id } })).toBe(0);
  }, 120_000);

  it("hides a reply at once, and keeps it out of search while the report is open", async () => {
    const thread = await createThread(t.db, await createUser(t.db));
    const word = `qwv${Math.random().toString(36).slice(2, 8)}`;
    const reply = await createReply(t.db, await createUser(t.db), thread.id, { body: `${SKIP} ${word}` });
    const physician = await agentFor(await createUser(t.db, "physician"));
    await report(physician, `/replies/${reply.id}`, { reason: "MISINFORMATION", note: "" });
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: reply.id } })).status).toBe("HIDDEN");
    await within(10_000, async () => !(await t.http().get(`/t/${thread.id}`)).text.includes(word));
    // Even if the post were public again by some other path, an open physician's report keeps it out of search.
    await t.db.reply.update({ where: { id: reply.id }, data: { status: "APPROVED" } });
    const results = await t.http().get(`/search?q=${word}`);
    expect(textOf(results.text)).toContain("0 results");
    expect(results.text).not.toContain(`#reply-${reply.id}`);
  }, 120_000);

  it("a second report by the same physician is 'already reported' and changes nothing", async () => {
    const { thread } = await publicQuestion(await createUser(t.db));
    const reply = await createReply(t.db, await createUser(t.db), thread.id, { body: SKIP });
    const physician = await agentFor(await createUser(t.db, "physician"));
    await report(physician, `/replies/${reply.id}`, { reason: "MISINFORMATION", note: "" });
    await t.db.reply.update({ where: { id: reply.id }, data: { status: "APPROVED", moderationReason: null } });
    const again = await report(physician, `/replies/${reply.id}`, { reason: "MISINFORMATION", note: "" });
    expect(again.status).toBe(200);
    expect(await t.db.flag.count({ where: { replyId: reply.id } })).toBe(1);
  }, 120_000);
});

describe("reports that do not hide at once", () => {
  async function reportedBy(user: UserFixture) {
    const { thread } = await publicQuestion(await createUser(t.db));
    await report(await agentFor(user), `/t/${thread.id}`, { reason: "MISINFORMATION", note: "" });
    return t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
  }

  it("a patient's report keeps the threshold: the post stays public", async () => {
    const patient = await createUser(t.db);
    await createThread(t.db, patient);
    const row = await reportedBy(patient);
    expect(row.status).toBe("APPROVED");
    expect(await t.db.flag.count({ where: { threadId: row.id, hidesPost: true } })).toBe(0);
  }, 120_000);

  it("an unverified physician's report does not hide", async () => {
    expect((await reportedBy(await createUser(t.db, "unverifiedPhysician"))).status).toBe("APPROVED");
  }, 120_000);

  it("a revoked physician's report does not hide", async () => {
    const physician = await createUser(t.db, "physician");
    await t.db.physicianProfile.update({ where: { userId: physician.id }, data: { status: "REVOKED", revokedAt: new Date() } });
    expect((await reportedBy(physician)).status).toBe("APPROVED");
  }, 120_000);

  it("a physician whose verification lapsed (past re-check and grace) does not hide; one merely overdue does", async () => {
    const lapsed = await createUser(t.db, "physician");
    await t.db.physicianProfile.update({ where: { userId: lapsed.id }, data: { reverifyBy: new Date(Date.now() - 40 * 86_400_000) } });
    expect((await reportedBy(lapsed)).status).toBe("APPROVED");
    const overdue = await createUser(t.db, "physician");
    await t.db.physicianProfile.update({ where: { userId: overdue.id }, data: { reverifyBy: new Date(Date.now() - 5 * 86_400_000) } });
    expect((await reportedBy(overdue)).status).toBe("HIDDEN");
  }, 120_000);

  it("a suspended physician can't report, and the post stays public", async () => {
    const physician = await createUser(t.db, "physician");
    const agent = await agentFor(physician);
    await t.db.user.update({ where: { id: physician.id }, data: { suspendedUntil: new Date(Date.now() + 86_400_000) } });
    const { thread } = await publicQuestion(await createUser(t.db));
    const res = await report(agent, `/t/${thread.id}`, { reason: "MISINFORMATION", note: "" });
    expect(res.status).toBe(403);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("APPROVED");
  }, 120_000);

  it("a physician can't report their own post", async () => {
    const physician = await createUser(t.db, "physician");
    const thread = await createThread(t.db, physician);
    const agent = await agentFor(physician);
    const res = await report(agent, `/t/${thread.id}`, { reason: "MISINFORMATION", note: "" });
    expect(res.status).toBe(403);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("APPROVED");
  }, 120_000);

  it("a physician's emergency report never hides, nor does a misinformation report on a post reported as an emergency", async () => {
    const { thread } = await publicQuestion(await createUser(t.db));
    await report(await agentFor(await createUser(t.db, "physician")), `/t/${thread.id}`, { reason: "EMERGENCY", note: "" });
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("APPROVED");
    await report(await agentFor(await createUser(t.db, "physician")), `/t/${thread.id}`, { reason: "MISINFORMATION", note: "" });
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("APPROVED");
  }, 120_000);
});

describe("bad input", () => {
  it("an unknown reason, an overlong note or a missing reason re-renders the form with errors and the text kept", async () => {
    const { thread } = await publicQuestion(await createUser(t.db));
    const physician = await agentFor(await createUser(t.db, "physician"));
    const unknown = await report(physician, `/t/${thread.id}`, { reason: "NONSENSE", note: "my careful note" });
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.text)).toContain("Choose a reason.");
    expect(unknown.text).toContain("my careful note");
    const long = await report(physician, `/t/${thread.id}`, { reason: "MISINFORMATION", note: "x".repeat(1_001) });
    expect(long.status).toBe(400);
    expect(textOf(long.text)).toContain("at most 1,000 characters");
    expect(long.text).toContain("x".repeat(1_001));
    const missing = await report(physician, `/t/${thread.id}`, { note: "kept words" });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("kept words");
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("APPROVED");
  }, 120_000);

  it("a report without the CSRF token changes nothing", async () => {
    const { thread } = await publicQuestion(await createUser(t.db));
    const physician = await agentFor(await createUser(t.db, "physician"));
    const res = await physician.post(`/t/${thread.id}/report`).type("form").send({ reason: "MISINFORMATION", note: "" });
    expect(res.status).toBe(403);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("APPROVED");
  }, 120_000);
});

describe("the moderator's decision", () => {
  async function hiddenByPhysician() {
    const author = await createUser(t.db);
    const { thread } = await publicQuestion(author);
    const physician = await createUser(t.db, "physician", { fullName: `Imogen Reporter ${Date.now()}` });
    await report(await agentFor(physician), `/t/${thread.id}`, { reason: "MISINFORMATION", note: "Contradicts the RCOG guideline." });
    return { thread, author, physician };
  }

  it("sees the physician's report first, with their name and note", async () => {
    const other = await publicQuestion(await createUser(t.db));
    const patient = await createUser(t.db);
    await report(await agentFor(patient), `/t/${other.thread.id}`, { reason: "SPAM", note: "" });
    const { thread, physician } = await hiddenByPhysician();
    const page = (await moderator.get("/moderation?show=reports")).text;
    // Every physician's report leads, before the patient's older one.
    expect(page.indexOf(`id="flagged-threads-${thread.id}"`)).toBeGreaterThan(0);
    expect(page.indexOf(`id="flagged-threads-${thread.id}"`)).toBeLessThan(page.indexOf(`id="flagged-threads-${other.thread.id}"`));
    expect(textOf(page).replaceAll(" :", ":")).toContain(
      `Dr. ${physician.fullName}: Medical misinformation: Contradicts the RCOG guideline.`,
    );
  }, 120_000);

  it("restores the post: public again, report closed, in the log, author told", async () => {
    const { thread, author } = await hiddenByPhysician();
    const res = await submit(moderator, "/moderation?show=reports", `/moderation/threads/${thread.id}/dismiss-flags`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain("notice=restored");
    const row = await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(row.status).toBe("APPROVED");
    expect(await t.db.flag.count({ where: { threadId: thread.id, status: "OPEN" } })).toBe(0);
    const log = await t.db.moderationLog.findFirstOrThrow({ where: { targetType: "THREAD", targetId: String(thread.id) } });
    expect(log.action).toBe("restore");
    await within(10_000, async () => (await t.http().get(`/t/${thread.id}`)).status === 200);
    const note = await t.db.notification.findFirstOrThrow({ where: { userId: author.id }, orderBy: { id: "desc" } });
    expect(note.message).toContain("approved and is now public");
    // The moderator's decision stands: another physician's report no longer hides it at once.
    await report(await agentFor(await createUser(t.db, "physician")), `/t/${thread.id}`, { reason: "MISINFORMATION", note: "" });
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("APPROVED");
  }, 120_000);

  it("keeps it hidden with a reason the author sees, in the log", async () => {
    const { thread, author } = await hiddenByPhysician();
    const res = await submit(moderator, "/moderation?show=reports", `/moderation/threads/${thread.id}/hide`, {
      reason: "Medical misinformation",
      note: "Please don't advise stopping heparin.",
    });
    expect(res.status).toBe(303);
    const row = await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(row.status).toBe("HIDDEN");
    expect(row.moderationReason).toBe("Medical misinformation");
    expect(await t.db.flag.count({ where: { threadId: thread.id, status: "UPHELD" } })).toBe(1);
    const log = await t.db.moderationLog.findFirstOrThrow({ where: { targetType: "THREAD", targetId: String(thread.id) } });
    expect(log.action).toBe("hide");
    const own = textOf((await (await agentFor(author)).get(`/t/${thread.id}`)).text);
    expect(own).toContain("Hidden by a moderator. Reason: Medical misinformation");
  }, 120_000);

  it("keeping it hidden without a reason re-renders the queue with the error and the note kept", async () => {
    const { thread } = await hiddenByPhysician();
    const res = await submit(moderator, "/moderation?show=reports", `/moderation/threads/${thread.id}/hide`, {
      reason: "",
      note: "my kept note",
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain("my kept note");
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("HIDDEN");
  }, 120_000);

  it("patients and physicians can't restore or keep hidden", async () => {
    const { thread } = await hiddenByPhysician();
    for (const persona of ["patient", "physician"] as const) {
      const agent = await agentFor(await createUser(t.db, persona));
      const token = csrfFrom((await agent.get("/account")).text);
      const res = await agent.post(`/moderation/threads/${thread.id}/dismiss-flags`).type("form").send({ _csrf: token });
      expect(res.status).toBe(403);
    }
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).status).toBe("HIDDEN");
  }, 120_000);
});
