// The physicians' pages: the list filtered by specialty, and each verified physician's profile with the
// questions they answered. Nobody unverified has a public page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let physician: UserFixture;
let handle: string;

beforeAll(async () => {
  t = await buildTestApp();
  physician = await createUser(t.db, "physician", { fullName: "Profile Person" });
  handle = (await t.db.physicianProfile.update({ where: { userId: physician.id }, data: { specialty: "Obstetric medicine" } })).handle;
  const patient = await createUser(t.db, "patient");
  const answered = await createThread(t.db, patient, { title: "A question she answered" });
  await createReply(t.db, physician, answered.id, { body: "Her answer." });
  const pending = await createThread(t.db, patient, { title: "A pending question she answered", status: "PENDING" });
  await createReply(t.db, physician, pending.id, { body: "Answer on a pending question." });
});
afterAll(() => t.close());

describe("/physicians", () => {
  it("lists verified physicians and filters by specialty", async () => {
    await createUser(t.db, "physician", { fullName: "Other Specialist" });
    const all = textOf((await t.http().get("/physicians")).text);
    expect(all).toContain("Dr. Profile Person");
    expect(all).toContain("Dr. Other Specialist");
    const filtered = textOf((await t.http().get("/physicians?specialty=Obstetric+medicine")).text);
    expect(filtered).toContain("Dr. Profile Person");
    expect(filtered).not.toContain("Dr. Other Specialist");
    const unknown = await t.http().get("/physicians?specialty=Astrology");
    expect(unknown.status).toBe(404);
    expect(textOf(unknown.text)).toContain("No physician lists that specialty.");
  });
});

describe("/physicians/:handle", () => {
  it("shows the badge's date, the number of answers and the public questions answered", async () => {
    const res = await t.http().get(`/physicians/${handle}`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("Dr. Profile Person, MD");
    expect(text).toContain("Verified 2 November 2026");
    expect(text).toContain("1 question answered on Curbside");
    expect(text).toContain("A question she answered");
    expect(text).not.toContain("A pending question she answered");
    expect(res.text).toContain(`href="/ask?to&#x3D;${handle}"`);
  });

  it("is not found for unverified, revoked and unknown physicians", async () => {
    const applicant = await createUser(t.db, "unverifiedPhysician");
    const { handle: pending } = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: applicant.id } });
    expect((await t.http().get(`/physicians/${pending}`)).status).toBe(404);
    const revoked = await createUser(t.db, "physician");
    const { handle: gone } = await t.db.physicianProfile.update({ where: { userId: revoked.id }, data: { status: "REVOKED" } });
    expect((await t.http().get(`/physicians/${gone}`)).status).toBe(404);
    expect((await t.http().get("/physicians/no-such-person")).status).toBe(404);
    expect((await t.http().get("/physicians/Not%20A%20Handle")).status).toBe(404);
  });
});

describe("the verification lifecycle", () => {
  const later = `${new Date().getUTCFullYear() + 1}-06-01`;
  const good = { registryName: "General Medical Council", registryReference: "GMC 7654321", checkedOn: "2026-11-02", reverifyBy: later };

  it("apply, verify with provenance, revoke: the badge and the right to publish follow each step", async () => {
    const moderator = t.agent();
    await logIn(moderator, await createUser(t.db, "moderator"));
    const applicant = await createUser(t.db, "unverifiedPhysician", { fullName: "Lifecycle Doctor" });
    const profile = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: applicant.id } });
    const thread = await createThread(t.db, await createUser(t.db, "patient"));
    const agent = t.agent();
    await logIn(agent, applicant);
    const reply = (body: string) => submit(agent, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body, parentId: "" });

    // Applied: posts are reviewed, no badge.
    await reply("Reply while applying.");
    expect((await t.db.reply.findFirstOrThrow({ where: { body: "Reply while applying." } })).status).toBe("PENDING");

    // Bad input: empty fields, a check in the future, a re-check date in the past.
    const empty = await submit(moderator, "/moderation", `/moderation/applications/${profile.id}/approve`, {
      registryName: " ",
      registryReference: "",
      checkedOn: "",
      reverifyBy: "",
    });
    expect(empty.status).toBe(400);
    const text = textOf(empty.text);
    expect(text).toContain("Registry is required.");
    expect(text).toContain("Registry reference is required.");
    expect(text).toContain("Checked on: use a date like 2026-11-21.");
    const future = await submit(moderator, "/moderation", `/moderation/applications/${profile.id}/approve`, {
      ...good,
      checkedOn: "2099-01-01",
      reverifyBy: "2020-01-01",
    });
    expect(future.status).toBe(400);
    expect(textOf(future.text)).toContain("Checked on: the check can't be in the future.");
    expect(textOf(future.text)).toContain("Check again by: choose a day after today.");
    expect(future.text).toContain('value="General Medical Council"');
    expect((await t.db.physicianProfile.findUniqueOrThrow({ where: { id: profile.id } })).status).toBe("PENDING");

    // Verified: provenance stored and logged; the badge shows; new posts publish at once.
    expect((await submit(moderator, "/moderation", `/moderation/applications/${profile.id}/approve`, good)).status).toBe(303);
    const verified = await t.db.physicianProfile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(verified).toMatchObject({ status: "VERIFIED", registryName: "General Medical Council", registryReference: "GMC 7654321" });
    expect(verified.checkedOn?.toISOString().slice(0, 10)).toBe("2026-11-02");
    const log = await t.db.moderationLog.findFirstOrThrow({ where: { action: "verify", targetId: String(profile.id) } });
    expect(log.note).toContain("General Medical Council, reference GMC 7654321, checked 2026-11-02");
    await reply("Reply once verified.");
    expect((await t.db.reply.findFirstOrThrow({ where: { body: "Reply once verified." } })).status).toBe("APPROVED");
    expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).toContain("Dr. Lifecycle Doctor");
    const member = textOf((await moderator.get(`/moderation/users/${applicant.id}`)).text);
    expect(member).toContain("General Medical Council, reference GMC 7654321, on 2026-11-02");

    // Expired (past the re-check day): flagged to moderators; the badge and the right to publish stay until a
    // moderator acts, so that a slow queue does not silence a physician.
    await t.db.physicianProfile.update({ where: { id: profile.id }, data: { reverifyBy: new Date("2026-01-01T00:00:00Z") } });
    expect(textOf((await moderator.get("/moderation?show=applications")).text)).toContain(
      "Lifecycle Doctor, MD — overdue : was due by 2026-01-01",
    );
    expect(textOf((await moderator.get(`/moderation/users/${applicant.id}`)).text)).toContain("due for a new check");
    await reply("Reply while expired.");
    expect((await t.db.reply.findFirstOrThrow({ where: { body: "Reply while expired." } })).status).toBe("APPROVED");
    expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).toContain("Dr. Lifecycle Doctor");

    // Revoked: a reason is needed; then the badge is gone everywhere, and posts are reviewed again.
    expect(
      (await submit(moderator, `/moderation/users/${applicant.id}`, `/moderation/users/${applicant.id}/revoke`, { reason: "" })).status,
    ).toBe(400);
    const revoke = await submit(moderator, `/moderation/users/${applicant.id}`, `/moderation/users/${applicant.id}/revoke`, {
      reason: "Licence suspended by the council",
    });
    expect(revoke.status).toBe(303);
    expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).not.toContain("Dr. Lifecycle Doctor");
    expect(await t.db.moderationLog.count({ where: { action: "revoke", targetId: String(profile.id) } })).toBe(1);
    const again = await submit(moderator, `/moderation/users/${applicant.id}`, `/moderation/users/${applicant.id}/revoke`, {
      reason: "Twice",
    });
    expect(again.status).toBe(409);
    await reply("Reply after revocation.");
    expect((await t.db.reply.findFirstOrThrow({ where: { body: "Reply after revocation." } })).status).toBe("PENDING");
    expect((await t.http().get(`/physicians/${profile.handle}`)).status).toBe(404);
  });

  it("a verification past its re-check date is flagged to moderators", async () => {
    const moderator = t.agent();
    await logIn(moderator, await createUser(t.db, "moderator"));
    const due = await createUser(t.db, "physician", { fullName: "Due Doctor" });
    await t.db.physicianProfile.update({ where: { userId: due.id }, data: { reverifyBy: new Date("2026-01-01T00:00:00Z") } });
    const queue = textOf((await moderator.get("/moderation?show=applications")).text);
    expect(queue).toContain("Overdue: verifications due for a new check");
    expect(queue).toContain("Due Doctor, MD — overdue : was due by 2026-01-01");
    expect(textOf((await moderator.get(`/moderation/users/${due.id}`)).text)).toContain("overdue: due for a new check");
  });

  it("only moderators verify and revoke", async () => {
    const patient = t.agent();
    await logIn(patient, await createUser(t.db, "patient"));
    const target = await createUser(t.db, "physician");
    expect((await submit(patient, "/account", `/moderation/users/${target.id}/revoke`, { reason: "No" })).status).toBe(403);
    expect((await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: target.id } })).status).toBe("VERIFIED");
  });
});

describe("the public profile's own words", () => {
  it("shows the bio and the conflicts of interest the physician wrote, or 'None declared'", async () => {
    const doctor = await createUser(t.db, "physician", { fullName: "Bio Doctor" });
    const { handle: own } = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: doctor.id } });
    expect(textOf((await t.http().get(`/physicians/${own}`)).text)).toContain("Conflicts of interest None declared.");
    const agent = t.agent();
    await logIn(agent, doctor);
    const saved = await submit(agent, "/account", "/account/profile", {
      bio: "I run a **recurrent loss** clinic.",
      disclosures: "Partner in a clinic that sells NK-cell tests.",
    });
    expect(saved.status).toBe(303);
    const page = await t.http().get(`/physicians/${own}`);
    expect(page.text).toContain("<strong>recurrent loss</strong>");
    expect(textOf(page.text)).toContain("Partner in a clinic that sells NK-cell tests.");
    expect(textOf(page.text)).toContain(
      "How this badge was checked A Curbside moderator checked Dr. Bio Doctor's licence with Testland Medical Register on 2 November 2026",
    );
  });

  it("bad input comes back with the text kept; patients have no public profile", async () => {
    const doctor = await createUser(t.db, "physician");
    const agent = t.agent();
    await logIn(agent, doctor);
    const long = await submit(agent, "/account", "/account/profile", { bio: `Kept words ${"x".repeat(2_001)}`, disclosures: "Mine." });
    expect(long.status).toBe(400);
    expect(textOf(long.text)).toContain("About you must be at most 2,000 characters.");
    expect(long.text).toContain("Kept words x");
    expect(long.text).toContain("Mine.");
    const patient = t.agent();
    await logIn(patient, await createUser(t.db, "patient"));
    expect((await submit(patient, "/account", "/account/profile", { bio: "Me", disclosures: "" })).status).toBe(403);
  });
});
