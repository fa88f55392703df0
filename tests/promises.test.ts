// Promises the README makes that had no test: an emergency report never hides a post; the global rate limit
// answers 429 past its limit; the retention job removes expired sessions; the mail worker's backoff stops at an
// hour, it gives up after MAX_ATTEMPTS tries, and two workers racing never send one mail twice.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backoffMs, deliverDue, MAX_ATTEMPTS } from "../src/mail/outbox.ts";
import { createMailer } from "../src/mail/transport.ts";
import { purgeExpiredData } from "../src/privacy/retention.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { DEFAULT_SETTINGS_FORM } from "./helpers/settings.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe("reports", () => {
  it("an emergency report escalates and never hides the post, even where every report hides", async () => {
    const admin = t.agent();
    await logIn(admin, await createUser(t.db, "admin"));
    // One report hides a post: the strictest setting there is.
    const saved = await submit(admin, "/admin/settings", "/admin/settings", {
      ...DEFAULT_SETTINGS_FORM,
      flagThreshold: "1",
      flagAction: "HIDE",
    });
    expect(saved.status).toBe(303);
    try {
      const author = await createUser(t.db);
      const thread = await createThread(t.db, author);
      const cry = await createReply(t.db, author, thread.id, { body: "I am bleeding heavily and alone tonight." });
      const spam = await createReply(t.db, author, thread.id, { body: "Buy our supplements at a discount." });
      // An established member (older than a day, with an approved post): only their reports count toward hiding.
      const reporter = t.agent();
      const reporterUser = await createUser(t.db);
      await createThread(t.db, reporterUser);
      await logIn(reporter, reporterUser);
      const res = await submit(reporter, `/replies/${cry.id}/report`, `/replies/${cry.id}/report`, { reason: "EMERGENCY", note: "" });
      expect(res.status).toBe(200);
      expect(await t.db.reply.findUniqueOrThrow({ where: { id: cry.id } })).toMatchObject({ status: "APPROVED", urgent: true });
      expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).toContain("I am bleeding heavily and alone tonight.");
      // The setting does hide: the same single report for spam hides the other reply.
      await submit(reporter, `/replies/${spam.id}/report`, `/replies/${spam.id}/report`, { reason: "SPAM", note: "" });
      expect((await t.db.reply.findUniqueOrThrow({ where: { id: spam.id } })).status).toBe("HIDDEN");
    } finally {
      await submit(admin, "/admin/settings", "/admin/settings", DEFAULT_SETTINGS_FORM);
    }
  }, 90_000);
});

describe("the global rate limit", () => {
  it("answers 429 once a client passes the configured number of form posts in a minute; pages still load", async () => {
    // Every other test app sets the limit to a million; this one keeps it low, on the same database.
    const limited = await buildTestApp({ RATE_LIMIT_PER_MINUTE: "5" }, {}, t.database);
    try {
      // The limit is shared through the database by every instance on it, so the other app's form posts from
      // this address this minute would count too: start from none.
      await t.db.throttleCounter.deleteMany();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await limited.http().post("/logout").type("form").send({})).status);
      expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const refused = await limited.http().post("/logout").type("form").send({});
      expect(refused.status).toBe(429);
      expect(refused.text).not.toMatch(/at .*\.ts:\d+/);
      // A ceiling on floods of form posts; reading is not counted.
      expect((await limited.http().get("/terms")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("retention", () => {
  it("the purge removes expired sessions and keeps live ones", async () => {
    const user = await createUser(t.db);
    const stale = t.agent();
    const live = t.agent();
    await logIn(stale, user);
    await logIn(live, user);
    const sessions = await t.db.session.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(sessions).toHaveLength(2);
    const expired = sessions[0] as (typeof sessions)[number];
    await t.db.session.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const result = await purgeExpiredData(t.db, 90);
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    expect(await t.db.session.findMany({ where: { userId: user.id }, select: { id: true } })).toEqual([{ id: sessions[1]?.id }]);
    expect((await live.get("/account")).status).toBe(200);
  });
});

describe("the mail worker", () => {
  const options = () => ({ publicUrl: t.config.publicUrl, secret: t.config.appSecret ?? "x".repeat(32), retryBaseMs: 30_000 });
  let received: string[] = [];
  let server: SMTPServer;
  let port = 0;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData: (stream, session, done) => {
        stream.on("data", () => {});
        stream.on("end", () => {
          received.push(...session.envelope.rcptTo.map((r) => r.address));
          done();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Mail goes only to a member's confirmed address (#23), so each recipient is a confirmed member.
  const queue = async (to: string, attempts = 0) => {
    await createUser(t.db, "patient", { email: to });
    return t.db.outboxEmail.create({ data: { to, subject: "A reply", text: "Someone replied.", path: "/", attempts } });
  };

  it("waits twice as long after each failure, never more than an hour", () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(8, 30_000)).toBe(60 * 60 * 1000);
    expect(backoffMs(MAX_ATTEMPTS, 30_000)).toBe(60 * 60 * 1000);
  });

  it("schedules the next try by the backoff, and gives up after MAX_ATTEMPTS tries", async () => {
    // A mail server that is not there: a closed port, so every send fails for real.
    const dead = createMailer({ smtpUrl: "smtp://127.0.0.1:9", from: "curbside@example.test", log: () => {} });
    await t.db.outboxEmail.updateMany({ where: { status: "PENDING" }, data: { status: "SENT" } });
    const late = await queue("late@example.test", 7);
    const before = Date.now();
    expect(await deliverDue(t.db, dead, options())).toEqual({ sent: 0, failed: 1 });
    const after8 = await t.db.outboxEmail.findUniqueOrThrow({ where: { id: late.id } });
    expect(after8).toMatchObject({ status: "PENDING", attempts: 8 });
    // The eighth failure waits the capped hour, not base × 2^7 (64 minutes).
    const wait = after8.nextAttemptAt.getTime() - before;
    expect(wait).toBeGreaterThanOrEqual(60 * 60 * 1000 - 5_000);
    expect(wait).toBeLessThanOrEqual(60 * 60 * 1000 + 60_000);

    await t.db.outboxEmail.update({ where: { id: late.id }, data: { attempts: MAX_ATTEMPTS - 1, nextAttemptAt: new Date() } });
    expect(await deliverDue(t.db, dead, options())).toEqual({ sent: 0, failed: 1 });
    expect(await t.db.outboxEmail.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({
      status: "FAILED",
      attempts: MAX_ATTEMPTS,
    });
    // Given up: no further round picks it up.
    await t.db.outboxEmail.update({ where: { id: late.id }, data: { nextAttemptAt: new Date(0) } });
    expect(await deliverDue(t.db, dead, options())).toEqual({ sent: 0, failed: 0 });
  });

  it("two workers racing over the same outbox send each mail exactly once", async () => {
    await t.db.outboxEmail.updateMany({ where: { status: "PENDING" }, data: { status: "SENT" } });
    received = [];
    const addresses = Array.from({ length: 30 }, (_, i) => `race${i}@example.test`);
    for (const a of addresses) await queue(a);
    const mailer = () => createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: "curbside@example.test", log: () => {} });
    const [one, two] = [mailer(), mailer()];
    // Small batches, so that both workers are busy at once and each round leases while the other sends.
    const work = async (m: typeof one) => {
      let sent = 0;
      for (let round = 0; round < 20; round++) sent += (await deliverDue(t.db, m, { ...options(), batch: 3 })).sent;
      return sent;
    };
    const [a, b] = await Promise.all([work(one), work(two)]);
    expect(a + b).toBe(addresses.length);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect([...received].sort()).toEqual([...addresses].sort());
    expect(await t.db.outboxEmail.count({ where: { to: { in: addresses }, status: "SENT" } })).toBe(addresses.length);
  });
});
