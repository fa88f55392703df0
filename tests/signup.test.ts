// Sign-up that reveals nothing and loses nothing: the same page for a new and a registered address, a
// confirmation link that works once and signs the person in, consent recorded, a question written before joining
// sent for review on confirmation, and passwords people can't guess.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRIVACY_NOTICE_VERSION } from "../src/auth/schemas.ts";
import { createPasswordHasher, TEST_ARGON2 } from "../src/lib/passwords.ts";
import { deliverDue } from "../src/mail/outbox.ts";
import { createMailer, type Mailer } from "../src/mail/transport.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createUser, PASSWORD } from "./helpers/factories.ts";
import { logIn, sameBytes, submit, textOf } from "./helpers/http.ts";
import { linkIn, MailServer } from "./helpers/mail-server.ts";
import { confirmationPath, signUpAndConfirm } from "./helpers/signup.ts";

let t: TestApp;
let smtp: MailServer;
let mailer: Mailer;
let hashes = 0;
const real = createPasswordHasher(TEST_ARGON2);

beforeAll(async () => {
  smtp = new MailServer();
  await smtp.start();
  // The real hasher, counting its hashes: both answers must do the same work.
  const passwords = { ...real, hash: (p: string) => (hashes++, real.hash(p)) };
  t = await buildTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` }, { passwords });
  mailer = createMailer({ smtpUrl: t.config.smtpUrl, from: t.config.mailFrom, log: () => {} });
});
afterAll(async () => {
  mailer.close();
  await smtp.stop();
  await t.close();
});

const deliver = () => deliverDue(t.db, mailer, { publicUrl: t.config.publicUrl, secret: t.app.appSecret });
const mailTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
const form = (email: string, extra: Record<string, string> = {}) => ({
  email,
  password: "tulips by the canal in april",
  pseudonym: `Tulip ${Math.random().toString(36).slice(2, 8)}`,
  consent: "yes",
  ...extra,
});

describe("sign-up reveals nothing", () => {
  it("answers a new and a registered address with byte-identical pages (apart from the typed address)", async () => {
    const member = await createUser(t.db, "patient");
    const fields = form("");
    const before = hashes;
    const fresh = await submit(t.agent(), "/signup", "/signup", { ...fields, email: "brand.new@example.test" });
    const registered = await submit(t.agent(), "/signup", "/signup", { ...fields, email: member.email });
    expect(hashes - before).toBe(2); // a password hashed either way, so the timing says nothing either
    expect(fresh.status).toBe(200);
    expect(registered.status).toBe(fresh.status);
    // Every page's script nonce is fresh randomness; apart from it and the typed address, not one byte differs.
    expect(sameBytes(registered.text, member.email)).toBe(sameBytes(fresh.text, "brand.new@example.test"));
    expect(textOf(fresh.text)).toContain("Check your email to finish");
    for (const res of [fresh, registered]) {
      expect(String(res.headers["set-cookie"] ?? "")).not.toContain("curbside_session=");
      expect(res.headers["content-type"]).toBe(fresh.headers["content-type"]);
    }
    // No account is made for the new address until its link is opened.
    expect(await t.db.user.count({ where: { email: "brand.new@example.test" } })).toBe(0);
  });

  it("mails a new address a confirmation link, and a registered one a notice with sign-in and reset links", async () => {
    const member = await createUser(t.db, "patient");
    await submit(t.agent(), "/signup", "/signup", form("someone.new@example.test"));
    await submit(t.agent(), "/signup", "/signup", form(member.email));
    await deliver();
    const [confirm] = mailTo("someone.new@example.test");
    expect(confirm?.raw).toContain("Subject: Confirm your email to finish joining Curbside");
    expect(linkIn(confirm?.text ?? "", "/signup/confirm?token=")).toMatch(/^\/signup\/confirm\?token=[A-Za-z0-9_-]{43}$/);
    const [notice] = mailTo(member.email);
    expect(notice?.raw).toContain("Subject: Someone tried to join Curbside with your address");
    expect(linkIn(notice?.text ?? "", "/login/forgot")).toBe("/login/forgot");
    expect(linkIn(notice?.text ?? "", "/login")).not.toBeNull();
    expect(linkIn(notice?.text ?? "", "/signup/confirm")).toBeNull();
  });

  it("keeps the link's token out of the database: only its hash, and a placeholder in the queued mail", async () => {
    await submit(t.agent(), "/signup", "/signup", form("hash.only@example.test"));
    const path = await confirmationPath(t, "hash.only@example.test");
    const token = path.split("=")[1] as string;
    const pending = await t.db.pendingSignup.findFirstOrThrow({ where: { email: "hash.only@example.test" } });
    const mail = await t.db.outboxEmail.findFirstOrThrow({ where: { to: "hash.only@example.test" } });
    expect(JSON.stringify(pending)).not.toContain(token);
    expect(JSON.stringify(mail)).not.toContain(token);
    expect(pending.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("the confirmation link", () => {
  it("makes a confirmed account with the consent given, signs the person in, and works once", async () => {
    const agent = t.agent();
    const { confirm } = await signUpAndConfirm(t, agent, form("Marigold@Example.test", { pseudonym: "Marigold" }));
    expect(confirm.status).toBe(303);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "marigold@example.test" } });
    expect(user.emailConfirmedAt).not.toBeNull();
    expect(user.consentVersion).toBe(PRIVACY_NOTICE_VERSION);
    expect(textOf((await agent.get("/account")).text)).toContain("marigold@example.test");
    // The data export shows the consent.
    const exported = JSON.parse((await agent.get("/account/export")).text);
    expect(exported.consent).toEqual({ givenAt: user.consentAt?.toISOString(), privacyNoticeVersion: PRIVACY_NOTICE_VERSION });
    // The same link again: used.
    const again = t.agent();
    const page = await again.get(`/signup/confirm?token=${"x".repeat(43)}`);
    expect(page.status).toBe(410);
    expect(await t.db.pendingSignup.count({ where: { email: "marigold@example.test" } })).toBe(0);
  });

  it("refuses a used or an expired link, and a mail scanner's visit (GET) changes nothing", async () => {
    await submit(t.agent(), "/signup", "/signup", form("late@example.test"));
    const path = await confirmationPath(t, "late@example.test");
    expect((await t.agent().get(path)).status).toBe(200);
    expect(await t.db.pendingSignup.count({ where: { email: "late@example.test" } })).toBe(1);
    await t.db.pendingSignup.updateMany({ where: { email: "late@example.test" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await t.agent().get(path)).status).toBe(410);
    const token = path.split("=")[1] as string;
    const agent = t.agent();
    const html = (await agent.get("/login")).text;
    const csrf = html.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    const late = await agent.post("/signup/confirm").type("form").send({ _csrf: csrf, token });
    expect(late.status).toBe(410);
    expect(await t.db.user.count({ where: { email: "late@example.test" } })).toBe(0);

    const used = t.agent();
    const { confirm } = await signUpAndConfirm(t, used, form("twice@example.test"));
    expect(confirm.status).toBe(303);
    const second = await t.agent().get(await confirmationPath(t, "twice@example.test").catch(() => "/signup/confirm?token=gone"));
    expect(second.status).toBe(410);
  });

  it("keeps `next` through sign-up", async () => {
    const agent = t.agent();
    const { confirm } = await signUpAndConfirm(t, agent, form("nexty@example.test", { next: "/physicians" }));
    expect(confirm.headers.location).toBe("/physicians");
    const offsite = await signUpAndConfirm(t, t.agent(), form("offsite@example.test", { next: "//evil.example/" }));
    expect(offsite.confirm.headers.location).toBe("/");
  });
});

describe("consent", () => {
  it("is required: a clear field error, and the text kept", async () => {
    const res = await submit(t.agent(), "/signup", "/signup", {
      email: "noconsent@example.test",
      password: "tulips by the canal in april",
      pseudonym: "Hyacinth",
    });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("Tick the box to agree that Curbside keeps what you post about your health");
    expect(res.text).toContain('value="noconsent@example.test"');
    expect(res.text).toContain('value="Hyacinth"');
    expect(await t.db.pendingSignup.count({ where: { email: "noconsent@example.test" } })).toBe(0);
  });

  it("the privacy page says withdrawing consent means deleting the account", async () => {
    const text = textOf((await t.http().get("/privacy")).text);
    expect(text).toContain("Withdrawing your consent means deleting your account");
    expect(text).toContain(PRIVACY_NOTICE_VERSION);
  });
});

describe("passwords people can't guess", () => {
  it.each(["aaaaaaaaaa", "password12", "1234567890", "          "])("refuses %j at sign-up, saying why", async (password) => {
    const res = await submit(t.agent(), "/signup", "/signup", { ...form("weak@example.test"), password });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toMatch(/Choose a stronger password\. \S.+/);
    expect(res.text).toContain('value="weak@example.test"');
  });

  it("refuses one made of the person's own pseudonym", async () => {
    const res = await submit(
      t.agent(),
      "/signup",
      "/signup",
      form("own@example.test", { pseudonym: "Snapdragon", password: "snapdragon1" }),
    );
    expect(textOf(res.text)).toContain("Choose a stronger password.");
  });

  it("refuses a weak new password when changing it", async () => {
    const user = await createUser(t.db, "patient");
    const agent = t.agent();
    await logIn(agent, user);
    const res = await submit(agent, "/account", "/account/password", { currentPassword: PASSWORD, newPassword: "password12" });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("Choose a stronger password.");
  });
});

describe("a question written before joining", () => {
  it("is kept through sign-up and enters the moderation queue when the address is confirmed", async () => {
    const agent = t.agent();
    expect((await agent.get("/ask")).status).toBe(200);
    const title = "Progesterone after two early losses";
    const body = "Would vaginal progesterone help after two early losses at seven weeks?";
    const held = await submit(agent, "/ask", "/ask", { title, body, categoryId: String(await categoryId(t.db)), _reviewed: "as-written" });
    expect(held.status).toBe(200);
    expect(textOf(held.text)).toContain("Your question is kept.");
    expect(await t.db.thread.count({ where: { title } })).toBe(0);
    // The sign-up form carries the question; the "check your email" page says it is kept.
    const draft = Object.fromEntries(
      [...held.text.matchAll(/name="(draft\w+)" value="([^"]*)"/g)].map((m) => [m[1] as string, (m[2] as string).replace(/&#x27;/g, "'")]),
    );
    expect(draft.draftTitle).toBe(title);
    const signup = await submit(agent, "/signup", "/signup", { ...form("asker@example.test"), ...draft });
    expect(textOf(signup.text)).toContain("Your question is kept with your sign-up");
    const confirm = await submit(agent, await confirmationPath(t, "asker@example.test"), "/signup/confirm", {});
    const thread = await t.db.thread.findFirstOrThrow({ where: { title }, include: { author: true } });
    expect(confirm.headers.location).toBe(`/t/${thread.id}`);
    expect(thread.status).toBe("PENDING");
    expect(thread.body).toBe(body);
    expect(thread.author.email).toBe("asker@example.test");
  });

  it("drops a tampered draft but still makes the account", async () => {
    const agent = t.agent();
    const { confirm } = await signUpAndConfirm(
      t,
      agent,
      form("tamper@example.test", { draftTitle: "x", draftBody: "y", draftCategoryId: "abc" }),
    );
    expect(confirm.status).toBe(303);
    expect(confirm.headers.location).toBe("/");
  });
});

describe("an account whose address is not confirmed", () => {
  it("cannot post: a clear message, and the text kept", async () => {
    const user = await createUser(t.db, "patient", { emailConfirmed: false });
    const agent = t.agent();
    await logIn(agent, user);
    const res = await submit(agent, "/ask", "/ask", {
      title: "A question from an unconfirmed account",
      body: "This text must come back on the form, not be lost.",
      categoryId: String(await categoryId(t.db)),
      _reviewed: "as-written",
    });
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain("Confirm your email address before you post");
    expect(res.text).toContain("This text must come back on the form, not be lost.");
    expect(await t.db.thread.count({ where: { authorId: user.id } })).toBe(0);
  });
});
