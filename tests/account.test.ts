import { randomUUID } from "node:crypto";
// /account: pseudonym, email, sessions, and the data export, which must hold every row that is the person's.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkToken } from "../src/mail/tokens.ts";
import { DEFAULT_SETTINGS } from "../src/settings/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, PASSWORD } from "./helpers/factories.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";
import { setupLinkFor } from "./helpers/setup-links.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe("pseudonym and email", () => {
  it("a new pseudonym shows on old posts; a taken one is refused with the text kept", async () => {
    const user = await createUser(t.db, "patient", { pseudonym: "Old Name" });
    await createUser(t.db, "patient", { pseudonym: "Taken Name" });
    const thread = await createThread(t.db, user);
    const agent = t.agent();
    await logIn(agent, user);
    const taken = await submit(agent, "/account", "/account/pseudonym", { pseudonym: "taken name" });
    expect(taken.status).toBe(409);
    expect(textOf(taken.text)).toContain("That pseudonym is taken.");
    expect(taken.text).toContain('value="taken name"');
    expect((await submit(agent, "/account", "/account/pseudonym", { pseudonym: "New Name" })).status).toBe(303);
    const page = textOf((await t.http().get(`/t/${thread.id}`)).text);
    expect(page).toContain("New Name");
    expect(page).not.toContain("Old Name");
  });

  it("changing the email needs the password, answers every address alike, and waits for the new address's link", async () => {
    const user = await createUser(t.db);
    const other = await createUser(t.db);
    const agent = t.agent();
    await logIn(agent, user);
    const wrong = await submit(agent, "/account", "/account/email", { email: "fresh@example.test", password: "not my password" });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.text)).toContain("That password is not correct.");
    expect(wrong.text).toContain('value="fresh@example.test"');
    // Another account's address: the same answer as a free one (no 409), and that account's owner is mailed.
    const dup = await submit(agent, "/account", "/account/email", { email: other.email.toUpperCase(), password: PASSWORD });
    const free = await submit(agent, "/account", "/account/email", { email: "Fresh@Example.test", password: PASSWORD });
    expect(dup.status).toBe(303);
    expect(free.status).toBe(303);
    expect(dup.headers.location).toBe(free.headers.location);
    const queued = await t.db.outboxEmail.findMany({ where: { userId: { in: [user.id, other.id] } }, orderBy: { id: "asc" } });
    expect(queued.map((m) => [m.to, m.kind])).toEqual([
      [other.email, "NOTICE"],
      [user.email, "NOTICE"],
      ["fresh@example.test", "CONFIRM_ADDRESS"],
      [user.email, "NOTICE"],
    ]);
    // Nothing changes until the link is opened.
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
    expect(textOf((await agent.get("/account")).text)).toContain("changing to fresh@example.test");
    const change = await t.db.emailChange.findFirstOrThrow({ where: { userId: user.id } });
    const link = `/account/email/confirm?token=${linkToken(t.app.appSecret, change.id)}`;
    const done = await submit(agent, link, "/account/email/confirm", {});
    expect(done.headers.location).toBe("/account?notice=email-changed");
    const after = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.email).toBe("fresh@example.test");
    expect(after.emailConfirmedAt).not.toBeNull();
    await logIn(t.agent(), { email: "fresh@example.test" });
    // Once only.
    expect((await t.agent().get(link)).status).toBe(410);
  });
});

describe("sessions", () => {
  it("lists this person's sessions and ends any of them", async () => {
    const user = await createUser(t.db);
    const here = t.agent();
    const phone = t.agent();
    await logIn(here, user);
    await phone.get("/").set("User-Agent", "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36");
    const token = csrfFrom((await phone.get("/login").set("User-Agent", "Mozilla/5.0 (Linux; Android 14) Chrome/130.0")).text);
    await phone
      .post("/login")
      .set("User-Agent", "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36")
      .type("form")
      .send({ _csrf: token, email: user.email, password: PASSWORD });
    const page = await here.get("/account");
    expect(textOf(page.text)).toContain("Chrome on Android");
    expect(textOf(page.text)).toContain("This browser");
    const sessions = await t.db.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(2);
    const phoneSession = sessions.find((s) => s.userAgent?.includes("Android"));
    const end = await submit(here, "/account", `/account/sessions/${phoneSession?.id}/end`, {});
    expect(end.status).toBe(303);
    expect((await phone.get("/account")).status).toBe(302);
    expect((await here.get("/account")).status).toBe(200);
  });

  it("cannot end someone else's session", async () => {
    const victim = await createUser(t.db);
    const victimAgent = t.agent();
    await logIn(victimAgent, victim);
    const [session] = await t.db.session.findMany({ where: { userId: victim.id } });
    const attacker = t.agent();
    await logIn(attacker, await createUser(t.db));
    const res = await submit(attacker, "/account", `/account/sessions/${session?.id}/end`, {});
    expect(res.status).toBe(404);
    expect((await victimAgent.get("/account")).status).toBe(200);
  });
});

describe("download my data", () => {
  it("holds every row that belongs to the person, in every table that refers to them", async () => {
    const user = await createUser(t.db, "physician");
    const thread = await createThread(t.db, user, { title: "Exported question" });
    await createThread(t.db, user, { title: "Exported pending question", status: "PENDING" });
    await createReply(t.db, user, thread.id, { body: "Exported reply" });
    await createReply(t.db, user, thread.id, { body: "Exported rejected reply", status: "REJECTED" });
    const someoneElse = await createThread(t.db, await createUser(t.db));
    await t.db.flag.create({ data: { reporterId: user.id, threadId: someoneElse.id, reason: "SPAM" } });
    const answer = await createReply(t.db, await createUser(t.db, "physician"), someoneElse.id);
    await t.db.agreement.create({ data: { replyId: answer.id, userId: user.id } });
    await t.db.helpfulMark.create({ data: { replyId: answer.id, userId: user.id } });
    // A row in every other table that refers to people, so that no check below is 0 === 0.
    await t.db.moderationLog.create({
      data: { actorId: user.id, action: "test.action", targetType: "THREAD", targetId: String(thread.id) },
    });
    await t.db.notification.create({ data: { userId: user.id, kind: "DECISION", message: "Exported notice", url: `/t/${thread.id}` } });
    await t.db.postRevision.create({ data: { editorId: user.id, threadId: thread.id, body: "Exported edit", status: "PENDING" } });
    await t.db.threadSubscription.create({ data: { userId: user.id, threadId: someoneElse.id } });
    await t.db.outboxEmail.create({ data: { userId: user.id, to: user.email, subject: "Exported mail", text: "x", path: "/" } });
    await t.db.siteSettings.upsert({
      where: { id: 1 },
      update: { updatedById: user.id },
      create: { ...DEFAULT_SETTINGS, updatedById: user.id },
    });
    await t.db.inboxDismissal.create({ data: { userId: user.id, threadId: someoneElse.id } });
    await setupLinkFor(t.db, user);
    const inAnHour = new Date(Date.now() + 3_600_000);
    await t.db.passwordReset.create({ data: { id: randomUUID(), userId: user.id, tokenHash: randomUUID(), expiresAt: inAnHour } });
    await t.db.emailChange.create({
      data: { id: randomUUID(), userId: user.id, newEmail: "new-address@example.test", tokenHash: randomUUID(), expiresAt: inAnHour },
    });
    await t.db.recoveryCode.create({ data: { userId: user.id, codeHash: "not-a-real-code-hash" } });
    const agent = t.agent();
    await logIn(agent, user);
    await logIn(t.agent(), user);
    const res = await agent.get("/account/export");
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="curbside-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers["cache-control"]).toBe("no-store");
    const data = JSON.parse(res.text);
    expect(data.profile).toMatchObject({ id: user.id, email: user.email, pseudonym: user.pseudonym });
    expect(data.physicianProfile.fullName).toBe(user.fullName);

    // Every foreign key to "User" names a table whose rows for this person must all be in the export.
    const EXPORTED: Record<string, string> = {
      "Thread.authorId": "threads",
      "Reply.authorId": "replies",
      "Session.userId": "sessions",
      "PhysicianProfile.userId": "physicianProfile",
      "ModerationLog.actorId": "moderationActions",
      "Flag.reporterId": "flags",
      "Notification.userId": "notifications",
      "PostRevision.editorId": "revisions",
      "ThreadSubscription.userId": "subscriptions",
      "OutboxEmail.userId": "emails",
      "SiteSettings.updatedById": "settingsChanges",
      "InboxDismissal.userId": "inboxDismissals",
      "Agreement.userId": "agreements",
      "HelpfulMark.userId": "helpfulMarks",
      "PasswordReset.userId": "passwordResets",
      "EmailChange.userId": "emailChanges",
      "RecoveryCode.userId": "recoveryCodes",
      "PasswordSetupLink.userId": "passwordSetupLinks",
    };
    // Columns naming the moderator who decided on someone else's post belong to that post's author.
    const NOT_THEIRS = new Set([
      "Thread.moderatedById",
      "Reply.moderatedById",
      "PhysicianProfile.reviewedById",
      "Flag.resolvedById",
      "Thread.claimedById",
      "Reply.claimedById",
      // Someone else's question addressed to this physician belongs to its asker.
      "Thread.addressedToId",
    ]);
    const fks = await t.db.$queryRaw<{ table: string; column: string }[]>`
      SELECT cl.relname AS "table", a.attname AS "column"
      FROM pg_constraint c
      JOIN pg_class cl ON cl.oid = c.conrelid
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.contype = 'f' AND c.confrelid = '"User"'::regclass`;
    expect(fks.length).toBeGreaterThan(5);
    for (const { table, column } of fks) {
      const key = `${table}.${column}`;
      if (NOT_THEIRS.has(key)) continue;
      const section = EXPORTED[key];
      expect(section, `${key} refers to users but is not in the export`).toBeDefined();
      const [row] = await t.db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1::uuid`,
        user.id,
      );
      const exported = data[section as string];
      expect(row?.n, `${key}: the fixture has a row for the person`).toBeGreaterThan(0);
      expect(Array.isArray(exported) ? exported.length : exported ? 1 : 0, key).toBe(row?.n);
    }
    expect(data.threads.map((x: { title: string }) => x.title)).toEqual(["Exported question", "Exported pending question"]);
    expect(data.replies.map((x: { body: string }) => x.body)).toEqual(["Exported reply", "Exported rejected reply"]);
    expect(data.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(JSON.stringify(data)).not.toContain("passwordHash");
  });

  it("is for the signed-in person only", async () => {
    expect((await t.http().get("/account/export")).headers.location).toBe("/login?next=%2Faccount%2Fexport");
  });
});
