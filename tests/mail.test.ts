// Mail end to end against a real SMTP server in this process: the outbox and its worker, no health content,
// the one-click unsubscribe, delivery after the mail server comes back, and physicians' mail about new questions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue, queueDigests } from "../src/mail/outbox.ts";
import { createMailer, type Mailer } from "../src/mail/transport.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { MailServer } from "./helpers/mail-server.ts";

let t: TestApp;
let smtp: MailServer;
let mailer: Mailer;
let modAgent: ReturnType<TestApp["agent"]>;
let options: { publicUrl: string; secret: string; retryBaseMs: number };

async function signedIn(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

/** A header's value from a raw message, folded lines unfolded. */
function headerOf(raw: string, name: string): string {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  const line = head.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : "";
}

const mailsTo = (user: UserFixture) => smtp.received.filter((m) => m.to.includes(user.email));

beforeAll(async () => {
  smtp = new MailServer();
  await smtp.start();
  t = await buildTestApp({
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    APP_SECRET: "a-test-secret-that-is-long-enough-for-hmac",
    PUBLIC_URL: "https://forum.example.org",
  });
  mailer = createMailer({ smtpUrl: t.config.smtpUrl, from: t.config.mailFrom, log: () => {} });
  modAgent = await signedIn(await createUser(t.db, "moderator"));
  options = { publicUrl: t.config.publicUrl, secret: t.app.config.appSecret as string, retryBaseMs: 20 };
});
afterAll(async () => {
  mailer.close();
  await smtp.stop();
  await t.close();
});

async function askAndApprove(asker: UserFixture, title: string, body: string) {
  const agent = await signedIn(asker);
  await submit(agent, "/ask", "/ask", { title, body, categoryId: String(await categoryId(t.db)), _reviewed: "as-written" });
  const thread = await t.db.thread.findFirstOrThrow({ where: { title } });
  await submit(modAgent, "/moderation", `/moderation/threads/${thread.id}/approve`, {});
  return { agent, thread };
}

describe("a physician's reply to my question", () => {
  it("arrives by mail with a link and no health content; the unsubscribe link stops further mail", async () => {
    const asker = await createUser(t.db, "patient");
    const { thread } = await askAndApprove(
      asker,
      "Uterine NK cells and prednisolone dose",
      "My uterine NK cells were 14% after two losses.",
    );
    const physician = await createUser(t.db, "physician");
    await submit(await signedIn(physician), `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "Uterine NK counts vary by cycle day; prednisolone is not proven.",
      parentId: "",
    });
    expect(await deliverDue(t.db, mailer, options)).toEqual({ sent: 1, failed: 0 });
    const [mail] = mailsTo(asker);
    expect(mail?.raw).toContain("Subject: A physician replied to your question");
    expect(mail?.text).toContain(`${t.config.publicUrl}/t/${thread.id}#reply-`);
    // The unsubscribe link's signature is random base64url, which now and then spells "NK": leave it out.
    const words = mail?.text.replace(/\/unsubscribe\?\S+/g, "/unsubscribe?(signed)");
    for (const health of ["NK", "prednisolone", "Uterine", "14%", "losses", "cycle"]) expect(words).not.toContain(health);
    // RFC 8058: an https List-Unsubscribe URL (PUBLIC_URL's), the one-click header, and Auto-Submitted.
    const header = headerOf(mail?.raw ?? "", "List-Unsubscribe");
    expect(header).toMatch(/^<https:\/\/forum\.example\.org\/unsubscribe\?u=[^>]+>$/);
    expect(headerOf(mail?.raw ?? "", "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(headerOf(mail?.raw ?? "", "Auto-Submitted")).toBe("auto-generated");
    const link = (header.match(/^<https:\/\/forum\.example\.org(\/unsubscribe\?[^>]+)>$/)?.[1] ?? "").replaceAll("&amp;", "&");
    expect(mail?.text).toContain(`https://forum.example.org${link}`);
    const subscribed = () => t.db.threadSubscription.count({ where: { userId: asker.id, threadId: thread.id } });

    // Opening the link, as a person or a mail provider's link scanner does, changes nothing.
    const page = await t.http().get(link);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Stop these emails?");
    expect((await t.http().head(link)).status).toBe(200);
    expect(await subscribed()).toBe(1);
    // A changed signature changes nothing, by any method.
    const forgedLink = link.replace(/s=[^&]+/, `s=${"A".repeat(43)}`);
    expect((await t.http().get(forgedLink)).status).toBe(403);
    expect((await t.http().post(forgedLink).type("form").send("List-Unsubscribe=One-Click")).status).toBe(403);
    expect((await t.http().post(link.replace(/t=\d+/, "t=999999")).type("form").send("List-Unsubscribe=One-Click")).status).toBe(403);
    expect(
      (
        await t
          .http()
          .post(link.replace(/&s=[^&]+/, ""))
          .type("form")
          .send("List-Unsubscribe=One-Click")
      ).status,
    ).toBe(400);
    expect(await subscribed()).toBe(1);

    // The one-click POST as a mail provider sends it: no cookie, no CSRF token, no Origin of ours.
    const res = await t
      .http()
      .post(link)
      .set("Origin", "https://mail.provider.example")
      .set("Sec-Fetch-Site", "cross-site")
      .type("form")
      .send("List-Unsubscribe=One-Click");
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("You're unsubscribed");
    expect(await subscribed()).toBe(0);
    // Again, or as multipart/form-data (RFC 8058 allows both encodings): still fine, still off.
    const multipart = await t.http().post(link).field("List-Unsubscribe", "One-Click");
    expect(multipart.status).toBe(200);
    expect(await subscribed()).toBe(0);

    await submit(await signedIn(physician), `/t/${thread.id}`, `/t/${thread.id}/replies`, { body: "One more thought.", parentId: "" });
    expect(await t.db.outboxEmail.count({ where: { userId: asker.id } })).toBe(1);
  });

  it("a reply waiting for review sends nothing", async () => {
    const asker = await createUser(t.db, "patient");
    const { thread } = await askAndApprove(asker, "A question with a pending reply", "Waiting for an answer about my results.");
    await submit(await signedIn(await createUser(t.db, "patient")), `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "A patient's reply, held for review.",
      parentId: "",
    });
    expect(await t.db.outboxEmail.count({ where: { userId: asker.id } })).toBe(0);
  });

  it("the thread page turns mail on and off", async () => {
    const reader = await createUser(t.db, "patient");
    const thread = await createThread(t.db, await createUser(t.db, "patient"));
    const agent = await signedIn(reader);
    expect(textOf((await agent.get(`/t/${thread.id}`)).text)).toContain("Email me about replies");
    expect((await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/follow`, { follow: "on" })).status).toBe(303);
    expect(textOf((await agent.get(`/t/${thread.id}`)).text)).toContain("Stop email about replies");
    expect((await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/follow`, { follow: "maybe" })).status).toBe(400);
    expect((await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/follow`, { follow: "off" })).status).toBe(303);
    expect(await t.db.threadSubscription.count({ where: { userId: reader.id } })).toBe(0);
    const pending = await createThread(t.db, await createUser(t.db, "patient"), { status: "PENDING" });
    expect((await submit(agent, `/t/${thread.id}`, `/t/${pending.id}/follow`, { follow: "on" })).status).toBe(404);
  });
});

describe("when the mail server is down", () => {
  it("keeps the mail and delivers it with backoff once the server is back", async () => {
    const asker = await createUser(t.db, "patient");
    const { thread } = await askAndApprove(asker, "A question answered during an outage", "Asking before the mail server went down.");
    await smtp.stop();
    await submit(await signedIn(await createUser(t.db, "physician")), `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "An answer while mail is down.",
      parentId: "",
    });
    expect(await deliverDue(t.db, mailer, options)).toEqual({ sent: 0, failed: 1 });
    const row = await t.db.outboxEmail.findFirstOrThrow({ where: { userId: asker.id } });
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row.lastError).toBeTruthy();
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 1000);

    await smtp.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await deliverDue(t.db, mailer, options)).toEqual({ sent: 1, failed: 0 });
    expect(mailsTo(asker)).toHaveLength(1);
    expect((await t.db.outboxEmail.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("SENT");
  });
});

describe("physicians' mail about new questions", () => {
  it("immediate: one mail per approved question in a followed category; daily: one digest with the count", async () => {
    const cat = await categoryId(t.db);
    const now = await createUser(t.db, "physician");
    const daily = await createUser(t.db, "physician");
    const nowAgent = await signedIn(now);
    const form = await submit(nowAgent, "/account", "/account/mail", { questionMail: "IMMEDIATE", categoryIds: String(cat) });
    expect(form.status).toBe(303);
    await t.db.physicianProfile.update({ where: { userId: daily.id }, data: { categoryIds: [cat], questionMail: "DAILY" } });
    await askAndApprove(await createUser(t.db, "patient"), "Heparin after a positive test", "Was told to start heparin at six weeks.");
    await deliverDue(t.db, mailer, options);
    const [immediate] = mailsTo(now);
    expect(immediate?.raw).toContain("Subject: A new question in your specialty");
    expect(immediate?.text).not.toContain("eparin");

    expect(await queueDigests(t.db)).toBeGreaterThanOrEqual(1);
    await deliverDue(t.db, mailer, options);
    const digest = mailsTo(daily);
    expect(digest).toHaveLength(1);
    expect(digest[0]?.raw).toMatch(/Subject: \d+ new questions? in your specialty/);
    expect(digest[0]?.text).not.toContain("eparin");
    // Not twice in a day.
    expect(await queueDigests(t.db)).toBe(0);

    // Both carry RFC 8058's headers; the digest's one-click POST turns question mail off, GET and HEAD do not.
    for (const mail of [immediate, digest[0]]) {
      expect(headerOf(mail?.raw ?? "", "List-Unsubscribe")).toMatch(
        /^<https:\/\/forum\.example\.org\/unsubscribe\?u=.+&(amp;)?l=questions&/,
      );
      expect(headerOf(mail?.raw ?? "", "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      expect(headerOf(mail?.raw ?? "", "Auto-Submitted")).toBe("auto-generated");
    }
    const link = headerOf(digest[0]?.raw ?? "", "List-Unsubscribe")
      .slice("<https://forum.example.org".length, -1)
      .replaceAll("&amp;", "&");
    const setting = async () => (await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: daily.id } })).questionMail;
    expect((await t.http().get(link)).status).toBe(200);
    expect((await t.http().head(link)).status).toBe(200);
    expect(await setting()).toBe("DAILY");
    // Another physician's link cannot be made from this one.
    expect((await t.http().post(link.replace(daily.id, now.id)).type("form").send("List-Unsubscribe=One-Click")).status).toBe(403);
    expect((await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: now.id } })).questionMail).toBe("IMMEDIATE");
    expect((await t.http().post(link).type("form").send("List-Unsubscribe=One-Click")).status).toBe(200);
    expect(await setting()).toBe("OFF");
  });

  it("the mail settings form refuses bad input and is for verified physicians only", async () => {
    const physician = await signedIn(await createUser(t.db, "physician"));
    const bad = await submit(physician, "/account", "/account/mail", { questionMail: "HOURLY", categoryIds: "999999" });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("Choose how often to get mail about new questions.");
    const unknown = await submit(physician, "/account", "/account/mail", { questionMail: "DAILY", categoryIds: "999999" });
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.text)).toContain("Choose categories from the list.");
    const patient = await signedIn(await createUser(t.db, "patient"));
    expect((await submit(patient, "/account", "/account/mail", { questionMail: "DAILY" })).status).toBe(403);
  });
});

describe("without SMTP_URL", () => {
  it("writes each mail to the log instead", async () => {
    const lines: string[] = [];
    const logMailer = createMailer({ from: "x@y.z", log: (m) => lines.push(m) });
    expect(logMailer.kind).toBe("log");
    await logMailer.send({ to: "a@b.c", subject: "Hello", text: "Body" });
    expect(lines[0]).toContain("to a@b.c: Hello");
  });
});
