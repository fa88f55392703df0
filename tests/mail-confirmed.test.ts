// Mail goes only to confirmed addresses. The rule is the outbox worker's, so it holds for every mail whoever
// queued it (thread mail, new-question mail, digests, account mail): only the confirmation link and the
// "someone tried to sign up" notice may reach an address no live account has confirmed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue, queueDigests, queueMail } from "../src/mail/outbox.ts";
import { createMailer, type Mailer } from "../src/mail/transport.ts";
import { replyPublished } from "../src/notifications/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser } from "./helpers/factories.ts";
import { submit } from "./helpers/http.ts";
import { MailServer } from "./helpers/mail-server.ts";

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
const received = (email: string) => smtp.received.filter((m) => m.to.includes(email)).length;
const statusOf = async (to: string) => (await t.db.outboxEmail.findMany({ where: { to }, select: { status: true } })).map((r) => r.status);

describe("the outbox sends only to confirmed addresses", () => {
  it("thread mail to an unconfirmed follower is closed unsent; a confirmed follower gets theirs", async () => {
    const asker = await createUser(t.db, "patient", { emailConfirmed: false });
    const follower = await createUser(t.db, "patient");
    const thread = await createThread(t.db, asker);
    await t.db.threadSubscription.createMany({ data: [asker, follower].map((u) => ({ userId: u.id, threadId: thread.id })) });
    const reply = await createReply(t.db, await createUser(t.db, "physician"), thread.id);
    await t.db.$transaction((tx) => replyPublished(tx, { id: reply.id, threadId: thread.id, authorId: reply.authorId, parentId: null }));
    await deliver();
    expect(received(asker.email)).toBe(0);
    expect(await statusOf(asker.email)).toEqual(["UNCONFIRMED"]);
    expect(received(follower.email)).toBe(1);
  });

  it("a physician's digest to an unconfirmed address is not sent", async () => {
    const physician = await createUser(t.db, "physician", { emailConfirmed: false });
    const category = await t.db.category.findFirstOrThrow();
    await t.db.physicianProfile.update({ where: { userId: physician.id }, data: { categoryIds: [category.id], questionMail: "DAILY" } });
    await createThread(t.db, await createUser(t.db), { category: category.slug });
    await queueDigests(t.db);
    expect(await statusOf(physician.email)).toEqual(["PENDING"]);
    await deliver();
    expect(received(physician.email)).toBe(0);
    expect(await statusOf(physician.email)).toEqual(["UNCONFIRMED"]);
  });

  it("a notice to an address that is only a pending sign-up, or a deleted account's, is not sent", async () => {
    await submit(t.agent(), "/signup", "/signup", {
      email: "pending.only@example.test",
      password: "a garden of late roses",
      pseudonym: "Late Rose",
      consent: "yes",
    });
    const deleted = await createUser(t.db, "patient");
    await t.db.user.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    for (const to of ["pending.only@example.test", deleted.email]) {
      await queueMail(t.db, { to, subject: "A notice", text: "Something happened.", path: "/" });
    }
    await deliver();
    // The confirmation link itself went out; the notice did not.
    expect(received("pending.only@example.test")).toBe(1);
    expect((await statusOf("pending.only@example.test")).sort()).toEqual(["SENT", "UNCONFIRMED"]);
    expect(received(deleted.email)).toBe(0);
  });

  it("even a row written straight into the table is held to the rule", async () => {
    const user = await createUser(t.db, "patient", { emailConfirmed: false });
    await t.db.outboxEmail.create({ data: { userId: user.id, to: user.email, subject: "Direct", text: "x", path: "/" } });
    await deliver();
    expect(received(user.email)).toBe(0);
  });

  it("checks again as it sends: an address that stopped being confirmed after queuing is not mailed", async () => {
    const user = await createUser(t.db, "patient");
    await queueMail(t.db, { to: user.email, userId: user.id, subject: "Queued while confirmed", text: "x", path: "/" });
    await t.db.user.update({ where: { id: user.id }, data: { emailConfirmedAt: null } });
    await deliver();
    expect(received(user.email)).toBe(0);
  });

  it("the two exceptions reach an unconfirmed address: the confirmation link and the sign-up notice", async () => {
    await queueMail(t.db, { to: "exc1@example.test", kind: "CONFIRM_ADDRESS", subject: "Confirm", text: "x", path: "/" });
    await queueMail(t.db, { to: "exc2@example.test", kind: "SIGNUP_ATTEMPT", subject: "Someone tried", text: "x", path: "/login" });
    await deliver();
    expect(received("exc1@example.test")).toBe(1);
    expect(received("exc2@example.test")).toBe(1);
  });
});
