// Moderation v1: approve, reject with a reason the author sees, resubmission, races, the audit log,
// and physician verification.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let patient: UserFixture;
let moderator: UserFixture;
let patientAgent: ReturnType<TestApp["agent"]>;
let modAgent: ReturnType<TestApp["agent"]>;

beforeAll(async () => {
  t = await buildTestApp();
  patient = await createUser(t.db, "patient", { pseudonym: "Clover Test" });
  moderator = await createUser(t.db, "moderator");
  patientAgent = t.agent();
  await logIn(patientAgent, patient);
  modAgent = t.agent();
  await logIn(modAgent, moderator);
});
afterAll(() => t.close());

describe("rejecting", () => {
  it("shows the author the reason and keeps their text; they can edit and resubmit", async () => {
    const thread = await createThread(t.db, patient, {
      title: "My results with my name in them",
      body: "My name is Ann Example and my record number is 12345.",
      status: "PENDING",
    });
    const res = await submit(modAgent, "/moderation", `/moderation/threads/${thread.id}/reject`, {
      reason: "Contains identifying details",
      note: "Please remove your name and record number.",
    });
    expect(res.status).toBe(303);

    const own = textOf((await patientAgent.get(`/t/${thread.id}`)).text);
    expect(own).toContain("Not published.");
    expect(own).toContain("Contains identifying details");
    expect(own).toContain("Please remove your name and record number.");
    expect(own).toContain("My name is Ann Example");

    const account = textOf((await patientAgent.get("/account")).text);
    expect(account).toContain("Contains identifying details");

    const edit = await submit(patientAgent, `/t/${thread.id}/edit`, `/t/${thread.id}/edit`, {
      title: "My results, without my name",
      body: "My immunology results came back and I don't understand the NK part.",
      categoryId: String(thread.categoryId),
    });
    expect(edit.status).toBe(303);
    const row = await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(row.status).toBe("PENDING");
    expect(row.moderationReason).toBeNull();
    expect(textOf((await modAgent.get("/moderation")).text)).toContain("My results, without my name");

    const log = await t.db.moderationLog.findMany({ where: { targetType: "THREAD", targetId: String(thread.id) } });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      actorId: moderator.id,
      action: "reject",
      reason: "Contains identifying details",
      note: "Please remove your name and record number.",
    });
    expect(log[0]?.createdAt).toBeInstanceOf(Date);
  });

  it("a rejected reply stays visible to its author only, with the reason", async () => {
    const thread = await createThread(t.db, patient);
    const reply = await createReply(t.db, patient, thread.id, { body: "A reply with a phone number 555-0100", status: "PENDING" });
    await submit(modAgent, "/moderation", `/moderation/replies/${reply.id}/reject`, { reason: "Contains identifying details", note: "" });
    expect(textOf((await patientAgent.get(`/t/${thread.id}`)).text)).toContain("Reason: Contains identifying details");
    expect((await t.http().get(`/t/${thread.id}`)).text).not.toContain("555-0100");
    const edit = await submit(patientAgent, `/replies/${reply.id}/edit`, `/replies/${reply.id}/edit`, {
      body: "A reply without the phone number",
    });
    expect(edit.status).toBe(303);
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: reply.id } })).status).toBe("PENDING");
  });

  it("other people cannot open the edit page of someone else's post", async () => {
    const thread = await createThread(t.db, patient, { status: "PENDING" });
    const other = t.agent();
    await logIn(other, await createUser(t.db, "patient"));
    expect((await other.get(`/t/${thread.id}/edit`)).status).toBe(404);
    expect((await t.http().get(`/t/${thread.id}/edit`)).status).toBe(404);
  });

  it("a hidden post cannot be edited", async () => {
    const thread = await createThread(t.db, patient, { status: "HIDDEN" });
    expect((await patientAgent.get(`/t/${thread.id}/edit`)).status).toBe(409);
  });
});

describe("approving", () => {
  it("an approved physician reply marks the question answered and counts it", async () => {
    const thread = await createThread(t.db, patient);
    const physician = await createUser(t.db, "unverifiedPhysician");
    const reply = await createReply(t.db, physician, thread.id, { status: "PENDING" });
    // Verify the physician first, then approve the reply they wrote before.
    const profile = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: physician.id } });
    const provenance = {
      registryName: "Testland Medical Register",
      registryReference: "TMR-1",
      checkedOn: "2026-11-01",
      reverifyBy: `${new Date().getUTCFullYear() + 1}-11-01`,
    };
    expect((await submit(modAgent, "/moderation", `/moderation/applications/${profile.id}/approve`, provenance)).status).toBe(303);
    expect((await submit(modAgent, "/moderation", `/moderation/replies/${reply.id}/approve`, {})).status).toBe(303);
    const row = await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(row.replyCount).toBe(1);
    expect(row.answeredAt).toBeInstanceOf(Date);
    const verified = await t.db.physicianProfile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(verified.status).toBe("VERIFIED");
    expect(verified.verifiedAt).toBeInstanceOf(Date);
    expect(await t.db.moderationLog.count({ where: { action: "verify", targetId: String(profile.id) } })).toBe(1);
  });

  it("two moderators acting at once: one wins, the other is told it was already decided", async () => {
    const thread = await createThread(t.db, patient, { status: "PENDING" });
    const other = t.agent();
    await logIn(other, await createUser(t.db, "moderator"));
    const [tokenA, tokenB] = [csrfFrom((await modAgent.get("/moderation")).text), csrfFrom((await other.get("/moderation")).text)];
    const [a, b] = await Promise.all([
      modAgent.post(`/moderation/threads/${thread.id}/approve`).type("form").send({ _csrf: tokenA }),
      other.post(`/moderation/threads/${thread.id}/reject`).type("form").send({ _csrf: tokenB, reason: "Spam or advertising", note: "" }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([303, 409]);
    const loser = a.status === 409 ? a : b;
    expect(textOf(loser.text)).toContain("Another moderator has already decided on this item.");
    expect(await t.db.moderationLog.count({ where: { targetType: "THREAD", targetId: String(thread.id) } })).toBe(1);
  });

  it("an unknown item is a 404 and a malformed one too", async () => {
    const token = csrfFrom((await modAgent.get("/moderation")).text);
    expect((await modAgent.post("/moderation/threads/999999/approve").type("form").send({ _csrf: token })).status).toBe(404);
    expect((await modAgent.post("/moderation/things/1/approve").type("form").send({ _csrf: token })).status).toBe(404);
    expect((await modAgent.post("/moderation/threads/abc/approve").type("form").send({ _csrf: token })).status).toBe(404);
  });

  it("rejecting a physician application shows the reason on their account", async () => {
    const applicant = await createUser(t.db, "unverifiedPhysician");
    const profile = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: applicant.id } });
    await submit(modAgent, "/moderation", `/moderation/applications/${profile.id}/reject`, {
      reason: "Licence could not be found in the registry",
      note: "",
    });
    const agent = t.agent();
    await logIn(agent, applicant);
    expect(textOf((await agent.get("/account")).text)).toContain("Licence could not be found in the registry");
  });
});
