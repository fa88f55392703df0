// Physician profiles (issue #25): the registry said once, the count of questions answered agreeing with the list
// (which pages), and the grace period before an overdue verification lapses, set by admins only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryLabel } from "../src/lib/verification.ts";
import { ANSWERS_PER_PAGE } from "../src/physicians/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { DEFAULT_SETTINGS_FORM } from "./helpers/settings.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
}, 120_000);
afterAll(() => t.close());

describe("the registry", () => {
  it("is named once when its name already holds the jurisdiction, and with it otherwise", async () => {
    expect(registryLabel("Public register of Ontario, Canada (CPSO)", "Ontario, Canada (CPSO)")).toBe(
      "Public register of Ontario, Canada (CPSO)",
    );
    expect(registryLabel("Medical Register", "United Kingdom (GMC)")).toBe("Medical Register (United Kingdom (GMC))");
    const physician = await createUser(t.db, "physician");
    const { handle } = await t.db.physicianProfile.update({
      where: { userId: physician.id },
      data: { registryName: "Public register of Ontario, Canada (CPSO)", jurisdiction: "Ontario, Canada (CPSO)" },
    });
    const text = textOf((await t.http().get(`/physicians/${handle}`)).text);
    expect(text).toContain("with Public register of Ontario, Canada (CPSO) on");
    expect(text).not.toContain("(CPSO) (Ontario");
  }, 120_000);
});

describe("questions answered", () => {
  it("counts what the list shows: public questions, once each, not withdrawn or hidden ones, and pages", async () => {
    const physician = await createUser(t.db, "physician");
    const { handle } = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: physician.id } });
    const patient = await createUser(t.db);
    const twice = await createThread(t.db, patient, { title: "Answered twice by the same physician" });
    await createReply(t.db, physician, twice.id);
    await createReply(t.db, physician, twice.id);
    const withdrawn = await createThread(t.db, patient, { title: "A withdrawn question" });
    await createReply(t.db, physician, withdrawn.id);
    await t.db.thread.update({ where: { id: withdrawn.id }, data: { withdrawnAt: new Date() } });
    const hidden = await createThread(t.db, patient, { title: "A hidden question" });
    await createReply(t.db, physician, hidden.id);
    await t.db.thread.update({ where: { id: hidden.id }, data: { status: "HIDDEN" } });
    const pendingAnswer = await createThread(t.db, patient, { title: "Answer awaiting review" });
    await createReply(t.db, physician, pendingAnswer.id, { status: "PENDING" });
    for (let i = 0; i < ANSWERS_PER_PAGE; i++) await createReply(t.db, physician, (await createThread(t.db, patient)).id);

    const first = textOf((await t.http().get(`/physicians/${handle}`)).text);
    const total = ANSWERS_PER_PAGE + 1;
    expect(first).toContain(`${total} questions answered on Curbside`);
    expect(first).not.toContain("A withdrawn question");
    expect(first).not.toContain("A hidden question");
    expect(first).not.toContain("Answer awaiting review");
    const second = await t.http().get(`/physicians/${handle}?page=2`);
    expect(second.status).toBe(200);
    expect(textOf(second.text)).toContain("Answered twice by the same physician");
    const listed = (html: string) => (html.match(/<ul class="my-posts">([\s\S]*?)<\/ul>/)?.[1]?.match(/<li>/g) ?? []).length;
    expect(listed((await t.http().get(`/physicians/${handle}`)).text) + listed(second.text)).toBe(total);
    expect((await t.http().get(`/physicians/${handle}?page=3`)).status).toBe(404);
    expect((await t.http().get(`/physicians/${handle}?page=nope`)).status).toBe(400);
  }, 180_000);
});

describe("the grace period setting", () => {
  it("defaults to 30 days, saves a valid number, and refuses bad input with a clear error and the text kept", async () => {
    const admin = t.agent();
    await logIn(admin, await createUser(t.db, "admin"));
    expect((await admin.get("/admin/settings")).text).toMatch(/id="verificationGraceDays"[^>]*value="30"/);
    for (const bad of ["", "-1", "366", "2.5", "thirty"]) {
      const res = await submit(admin, "/admin/settings", "/admin/settings", { ...DEFAULT_SETTINGS_FORM, verificationGraceDays: bad });
      expect(res.status).toBe(400);
      expect(textOf(res.text)).toMatch(/Grace period: (give a number|give a whole number|at least 0|at most 365)\./);
      expect(res.text).toMatch(new RegExp(`id="verificationGraceDays"[^>]*value="${bad}"`));
    }
    const saved = await submit(admin, "/admin/settings", "/admin/settings", { ...DEFAULT_SETTINGS_FORM, verificationGraceDays: "14" });
    expect(saved.status).toBe(303);
    expect((await t.db.siteSettings.findUniqueOrThrow({ where: { id: 1 } })).verificationGraceDays).toBe(14);
  }, 120_000);

  it("can't be changed by moderators, physicians or a suspended admin", async () => {
    for (const persona of ["moderator", "physician"] as const) {
      const agent = t.agent();
      await logIn(agent, await createUser(t.db, persona));
      expect((await agent.get("/admin/settings")).status).toBe(403);
    }
    const suspended = await createUser(t.db, "admin");
    const agent = t.agent();
    await logIn(agent, suspended);
    await t.db.user.update({ where: { id: suspended.id }, data: { suspendedUntil: new Date(Date.now() + 86_400_000) } });
    const res = await submit(agent, "/admin/settings", "/admin/settings", { ...DEFAULT_SETTINGS_FORM, verificationGraceDays: "3" });
    expect(res.status).toBe(403);
    expect((await t.db.siteSettings.findUnique({ where: { id: 1 } }))?.verificationGraceDays).not.toBe(3);
  }, 120_000);
});
