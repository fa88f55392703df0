// "Forgot your password?": the same answer for every address, a mailed link that works once for 30 minutes,
// a new password that ends every other session, and limits per address and per IP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../src/mail/outbox.ts";
import { createMailer, type Mailer } from "../src/mail/transport.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createUser, PASSWORD } from "./helpers/factories.ts";
import { logIn, sameBytes, submit, textOf } from "./helpers/http.ts";
import { linkIn, MailServer } from "./helpers/mail-server.ts";

let t: TestApp;
let smtp: MailServer;
let mailer: Mailer;

beforeAll(async () => {
  smtp = new MailServer();
  await smtp.start();
  t = await buildTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  mailer = createMailer({ smtpUrl: t.config.smtpUrl, from: t.config.mailFrom, log: () => {} });
});
afterAll(async () => {
  mailer.close();
  await smtp.stop();
  await t.close();
});

const deliver = () => deliverDue(t.db, mailer, { publicUrl: t.config.publicUrl, secret: t.app.appSecret });
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

/** Asks for a reset of `email` and returns the path of the link mailed to it. */
async function resetLink(email: string): Promise<string> {
  await submit(t.agent(), "/login/forgot", "/login/forgot", { email });
  await deliver();
  const mail = mailsTo(email).at(-1);
  const link = linkIn(mail?.text ?? "", "/login/reset?token=");
  if (!link) throw new Error("no reset link was mailed");
  return link;
}

describe("asking for a reset", () => {
  it("the sign-in page links to it", async () => {
    expect((await t.http().get("/login")).text).toContain('href="/login/forgot"');
  });

  it("answers a registered and an unknown address with byte-identical pages, and mails only the registered one", async () => {
    const user = await createUser(t.db, "patient");
    const known = await submit(t.agent(), "/login/forgot", "/login/forgot", { email: user.email });
    const unknown = await submit(t.agent(), "/login/forgot", "/login/forgot", { email: "no.such.person@example.test" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(sameBytes(known.text, user.email)).toBe(sameBytes(unknown.text, "no.such.person@example.test"));
    await deliver();
    expect(mailsTo(user.email)).toHaveLength(1);
    expect(mailsTo("no.such.person@example.test")).toHaveLength(0);
    expect(mailsTo(user.email)[0]?.raw).toContain("Subject: Reset your Curbside password");
  });

  it("stops mailing one address after 3 requests an hour, with the same page", async () => {
    const user = await createUser(t.db, "patient");
    const pages: string[] = [];
    for (let i = 0; i < 5; i++)
      pages.push(sameBytes((await submit(t.agent(), "/login/forgot", "/login/forgot", { email: user.email })).text, user.email));
    expect(new Set(pages).size).toBe(1);
    expect(await t.db.passwordReset.count({ where: { userId: user.id } })).toBe(3);
  });

  it("refuses a bad address with a field error and keeps the text", async () => {
    const res = await submit(t.agent(), "/login/forgot", "/login/forgot", { email: "not an address" });
    expect(res.status).toBe(400);
    expect(res.text).toContain('value="not an address"');
  });
});

describe("the reset link", () => {
  it("sets a new password, ends every other session, signs the person in, and works once", async () => {
    const user = await createUser(t.db, "patient");
    const elsewhere = t.agent();
    await logIn(elsewhere, user);
    expect((await elsewhere.get("/account")).status).toBe(200);
    const link = await resetLink(user.email);
    const agent = t.agent();
    const res = await submit(agent, link, "/login/reset", { password: "a brand new garden path" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/account?notice=password-reset");
    expect((await agent.get("/account")).status).toBe(200);
    expect((await elsewhere.get("/account")).status).toBe(302);
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(1);
    // The old password no longer works; the new one does.
    await expect(logIn(t.agent(), user)).rejects.toThrow();
    await logIn(t.agent(), user, "a brand new garden path");
    // Used once: the same link again is refused, and the password stays.
    expect((await t.agent().get(link)).status).toBe(410);
    const again = await submit(t.agent(), "/login/forgot", "/login/reset", {
      token: link.split("=")[1] as string,
      password: "yet another long phrase",
    });
    expect(again.status).toBe(410);
    await logIn(t.agent(), user, "a brand new garden path");
  });

  it("expires after 30 minutes", async () => {
    const user = await createUser(t.db, "patient");
    const link = await resetLink(user.email);
    await t.db.passwordReset.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await t.agent().get(link)).status).toBe(410);
    const res = await submit(t.agent(), "/login/forgot", "/login/reset", {
      token: link.split("=")[1] as string,
      password: "a brand new garden path",
    });
    expect(res.status).toBe(410);
    await logIn(t.agent(), user, PASSWORD);
  });

  it("is stored only as a hash, and lives 30 minutes", async () => {
    const user = await createUser(t.db, "patient");
    const link = await resetLink(user.email);
    const row = await t.db.passwordReset.findFirstOrThrow({ where: { userId: user.id } });
    expect(JSON.stringify(row)).not.toContain(link.split("=")[1]);
    expect(Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - 30 * 60 * 1000)).toBeLessThan(5_000);
    const mail = await t.db.outboxEmail.findFirstOrThrow({ where: { to: user.email } });
    expect(JSON.stringify(mail)).not.toContain(link.split("=")[1]);
  });

  it.each(["aaaaaaaaaa", "password12", "1234567890", "          "])(
    "refuses the weak password %j, keeping the link usable",
    async (password) => {
      const user = await createUser(t.db, "patient");
      const link = await resetLink(user.email);
      const res = await submit(t.agent(), link, "/login/reset", { password });
      expect(res.status).toBe(400);
      expect(textOf(res.text)).toContain("Choose a stronger password.");
      expect((await t.agent().get(link)).status).toBe(200);
    },
  );

  it("works for a suspended member too, who still cannot post", async () => {
    const user = await createUser(t.db, "patient");
    await t.db.user.update({ where: { id: user.id }, data: { suspendedUntil: new Date(Date.now() + 86_400_000) } });
    const link = await resetLink(user.email);
    const agent = t.agent();
    expect((await submit(agent, link, "/login/reset", { password: "a brand new garden path" })).status).toBe(303);
    const ask = await submit(agent, "/ask", "/ask", {
      title: "A question while suspended",
      body: "This should not be posted at all.",
      categoryId: "1",
      _reviewed: "as-written",
    });
    expect(ask.status).toBe(403);
  });
});

describe("limits per IP", () => {
  it("answers 429 after 20 requests an hour from one address", async () => {
    const app = await buildTestApp({}, {}, t.database);
    try {
      let last = 0;
      for (let i = 0; i < 21; i++)
        last = (await submit(app.agent(), "/login/forgot", "/login/forgot", { email: `ip${i}@example.test` })).status;
      expect(last).toBe(429);
    } finally {
      await app.app.close();
    }
  });
});
