// The physicians' pages: the list filtered by specialty, and each verified physician's profile with the
// questions they answered. Nobody unverified has a public page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { textOf } from "./helpers/http.ts";

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
    expect(text).toContain("1 answer on Curbside");
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
