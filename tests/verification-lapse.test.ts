// A verification past its re-check date is overdue to moderators everywhere they see the physician; once the
// admins' grace period has passed too, the badge lapses (with the physician told why) until a moderator records
// a new check of the licence, which restores it (issue #25, "Physician profiles").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lapseOverdueVerifications } from "../src/moderation/verification-lapse.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { DEFAULT_SETTINGS_FORM } from "./helpers/settings.ts";

const DAY = 86_400_000;
const dayOnly = (ms: number) => new Date(`${new Date(ms).toISOString().slice(0, 10)}T00:00:00Z`);
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** A verified physician whose licence was due for a new check `daysAgo` days ago. */
async function physicianDue(daysAgo: number): Promise<UserFixture & { handle: string; fullName: string }> {
  const user = await createUser(t.db, "physician");
  const profile = await t.db.physicianProfile.update({
    where: { userId: user.id },
    data: { reverifyBy: dayOnly(Date.now() - daysAgo * DAY) },
    select: { handle: true, fullName: true },
  });
  return { ...user, ...profile };
}

async function answered(physician: UserFixture, body: string) {
  const asker = await createUser(t.db);
  const thread = await createThread(t.db, asker, { title: `Lapse question ${Date.now()} ${Math.random()}` });
  await createReply(t.db, physician, thread.id, { body });
  await t.db.thread.update({ where: { id: thread.id }, data: { answeredAt: new Date(), replyCount: 1 } });
  return thread;
}

const statusOf = async (userId: string) => (await t.db.physicianProfile.findUniqueOrThrow({ where: { userId } })).status;

describe("a verification past its re-check date", () => {
  it("is shown as overdue to moderators, and to the physician, while the grace period runs", async () => {
    const overdue = await physicianDue(10);
    const current = await physicianDue(-30);
    const moderator = t.agent();
    await logIn(moderator, await createUser(t.db, "moderator"));

    const member = textOf((await moderator.get(`/moderation/users/${overdue.id}`)).text);
    expect(member).toContain("overdue: due for a new check; the badge lapses on");
    expect(member).toContain(inDays(20));
    expect(textOf((await moderator.get(`/moderation/users/${current.id}`)).text)).not.toContain("overdue");

    const queue = textOf((await moderator.get("/moderation")).text);
    expect(queue).toContain(`${overdue.fullName}, MD — overdue`);
    expect(queue).not.toContain(`${current.fullName}, MD —`);

    // The public profile: moderators are told; a reader sees the badge, with nothing about re-checks.
    const asModerator = textOf((await moderator.get(`/physicians/${overdue.handle}`)).text);
    expect(asModerator).toContain("this licence was due for a new check");
    const list = textOf((await moderator.get("/physicians")).text);
    const card = (name: string) => list.slice(list.indexOf(`Dr. ${name} ,`), list.indexOf(`Ask Dr. ${name} a question`));
    expect(card(overdue.fullName)).toContain("re-check overdue");
    expect(card(current.fullName)).toContain("Verified");
    expect(card(current.fullName)).not.toContain("re-check overdue");
    expect(textOf((await t.http().get("/physicians")).text)).not.toContain("re-check overdue");
    const asReader = textOf((await t.http().get(`/physicians/${overdue.handle}`)).text);
    expect(asReader).not.toContain("Overdue");
    expect(asReader).toContain("Verified");

    const doctor = t.agent();
    await logIn(doctor, overdue);
    const account = textOf((await doctor.get("/account")).text);
    expect(account).toContain("Your licence is due for a new check");
    expect(account).toContain(inDays(20));

    // Not lapsed yet: the sweep leaves it verified.
    await lapseOverdueVerifications(t.db);
    expect(await statusOf(overdue.id)).toBe("VERIFIED");
  });

  it("lapses after the grace period: no badge, reviewed posts, no inbox, and the physician told why", async () => {
    const lapsing = await physicianDue(31);
    const body = "An answer written while the badge stood.";
    const thread = await answered(lapsing, body);

    expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).toContain(`Dr. ${lapsing.fullName}`);
    expect(await lapseOverdueVerifications(t.db)).toBeGreaterThanOrEqual(1);
    expect(await statusOf(lapsing.id)).toBe("LAPSED");
    // Guarded in its WHERE clause: a second sweep (another instance) lapses and tells no one again.
    expect(await lapseOverdueVerifications(t.db)).toBe(0);
    expect(await t.db.notification.count({ where: { userId: lapsing.id, kind: "VERIFICATION" } })).toBe(1);
    const mail = await t.db.outboxEmail.findMany({ where: { userId: lapsing.id } });
    expect(mail.map((m) => m.subject)).toEqual(["Your Curbside verification lapsed"]);
    expect(mail[0]?.text).not.toContain(body);

    // The answer stays public, without the badge; the thread is no longer "answered by a physician".
    const page = textOf((await t.http().get(`/t/${thread.id}`)).text);
    expect(page).toContain(body);
    expect(page).not.toContain(`Dr. ${lapsing.fullName}`);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).answeredAt).toBeNull();

    // The profile page stays, saying so; the directory no longer lists them; they can't be asked directly.
    const profile = await t.http().get(`/physicians/${lapsing.handle}`);
    expect(profile.status).toBe(200);
    expect(textOf(profile.text)).toContain("Verification lapsed");
    expect(profile.text).not.toContain(`/ask?to=${lapsing.handle}`);
    expect((await t.http().get("/physicians")).text).not.toContain(`/physicians/${lapsing.handle}"`);

    const doctor = t.agent();
    await logIn(doctor, lapsing);
    const account = textOf((await doctor.get("/account")).text);
    expect(account).toContain("Your verification lapsed");
    expect(account).toContain("was not checked again in time");
    expect(textOf((await doctor.get("/notifications")).text)).toContain("Your verification lapsed");
    expect((await doctor.get("/inbox")).status).toBe(403);

    // A new reply waits for review, with the lapse as the stored reason.
    const other = await createThread(t.db, await createUser(t.db), { title: `After the lapse ${Date.now()}` });
    const sent = await submit(doctor, `/t/${other.id}`, `/t/${other.id}/replies`, { body: "A reply written after the lapse." });
    expect(sent.status).toBe(303);
    const held = await t.db.reply.findFirstOrThrow({ where: { authorId: lapsing.id, threadId: other.id } });
    expect(held.status).toBe("PENDING");
    expect(held.holdReasons.join(" ")).toContain("lapsed");
  });

  it("follows the admins' grace period", async () => {
    const physician = await physicianDue(5);
    const admin = t.agent();
    await logIn(admin, await createUser(t.db, "admin"));
    const grace = async (days: number) => {
      const saved = await submit(admin, "/admin/settings", "/admin/settings", {
        ...DEFAULT_SETTINGS_FORM,
        verificationGraceDays: String(days),
      });
      expect(saved.status).toBe(303);
    };
    await grace(6);
    await lapseOverdueVerifications(t.db);
    expect(await statusOf(physician.id)).toBe("VERIFIED");
    await grace(3);
    try {
      await lapseOverdueVerifications(t.db);
      expect(await statusOf(physician.id)).toBe("LAPSED");
    } finally {
      await grace(30);
    }
  });
});

describe("a new check of the licence", () => {
  it("restores a lapsed badge, tells the physician, and is logged", async () => {
    const physician = await physicianDue(40);
    const thread = await answered(physician, "An answer whose badge comes back.");
    await lapseOverdueVerifications(t.db);
    expect(await statusOf(physician.id)).toBe("LAPSED");

    const moderator = t.agent();
    await logIn(moderator, await createUser(t.db, "moderator"));
    const page = `/moderation/users/${physician.id}`;
    expect(textOf((await moderator.get(page)).text)).toContain("Lapsed");
    expect(textOf((await moderator.get("/moderation")).text)).toContain(`${physician.fullName}, MD — lapsed`);

    const fields = { registryName: "Testland Medical Register", registryReference: "TMR-2", checkedOn: inDays(0), reverifyBy: inDays(365) };
    // Bad input: the form comes back with the field's error and what was typed.
    const bad = await submit(moderator, page, `${page}/recheck`, { ...fields, registryReference: "TMR-typed", reverifyBy: inDays(-1) });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("Check again by: choose a day after today.");
    expect(bad.text).toContain('value="TMR-typed"');
    expect(await statusOf(physician.id)).toBe("LAPSED");

    const done = await submit(moderator, page, `${page}/recheck`, fields);
    expect(done.status).toBe(303);
    const stored = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: physician.id } });
    expect(stored).toMatchObject({ status: "VERIFIED", lapsedAt: null, registryReference: "TMR-2" });
    expect(stored.reverifyBy?.toISOString().slice(0, 10)).toBe(fields.reverifyBy);

    expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).toContain(`Dr. ${physician.fullName}`);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).answeredAt).not.toBeNull();
    const told = await t.db.notification.findMany({ where: { userId: physician.id, kind: "VERIFICATION" }, orderBy: { id: "asc" } });
    expect(told.map((n) => n.message)).toEqual([
      "Your verification lapsed: your licence was not checked again in time",
      "Your licence was checked again: your verified badge is back",
    ]);
    expect(textOf((await moderator.get("/moderation/log")).text)).toContain(
      `re-checked the licence of physician “Dr. ${physician.fullName}”`,
    );
    expect(textOf((await moderator.get(page)).text)).not.toContain("overdue");
  });

  it("is for moderators only, and not while they are suspended", async () => {
    const physician = await physicianDue(40);
    await lapseOverdueVerifications(t.db);
    const fields = { registryName: "Register", registryReference: "R-1", checkedOn: inDays(0), reverifyBy: inDays(100) };
    const path = `/moderation/users/${physician.id}/recheck`;

    const patient = t.agent();
    await logIn(patient, await createUser(t.db));
    const byPatient = await submit(patient, "/account", path, fields);
    expect(byPatient.status).toBe(403);

    const self = t.agent();
    await logIn(self, physician);
    expect((await submit(self, "/account", path, fields)).status).toBe(403);

    const suspended = await createUser(t.db, "moderator");
    const agent = t.agent();
    await logIn(agent, suspended);
    await t.db.user.update({ where: { id: suspended.id }, data: { suspendedUntil: new Date(Date.now() + 3 * DAY) } });
    expect((await submit(agent, "/account", path, fields)).status).toBe(403);

    expect((await t.http().post(path).type("form").send(fields)).status).toBeGreaterThanOrEqual(400);
    expect(await statusOf(physician.id)).toBe("LAPSED");
  });

  it("is refused, with a reason, for a physician who was never verified", async () => {
    const applicant = await createUser(t.db, "unverifiedPhysician");
    const moderator = t.agent();
    await logIn(moderator, await createUser(t.db, "moderator"));
    const page = `/moderation/users/${applicant.id}`;
    expect((await moderator.get(page)).text).not.toContain(`${page}/recheck`);
    const fields = { registryName: "Register", registryReference: "R-1", checkedOn: inDays(0), reverifyBy: inDays(100) };
    const res = await submit(moderator, page, `${page}/recheck`, fields);
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain("Only a verified or lapsed physician's licence can be checked again");
    expect(await statusOf(applicant.id)).toBe("PENDING");
  });
});
