// Two-factor sign-in (TOTP, RFC 6238): set up with a QR code and the key, confirmed by a first code; recovery
// codes shown once and usable once; at sign-in the code on its own page, wrong codes refused and counted by the
// sign-in lock, no replays; staff held at set-up when the admins require it; recent sign-in for the export.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../src/auth/two-factor.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createUser, PASSWORD, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({}, { loginLimits: { perPair: 4, perIp: 1000, windowMs: 15 * 60 * 1000 } });
});
afterAll(() => t.close());

type Agent = ReturnType<TestApp["agent"]>;

/** Turns two-factor on for `user` through /account, returning the key and the recovery codes shown. */
async function enable(user: UserFixture, agent?: Agent) {
  const a = agent ?? t.agent();
  if (!agent) await logIn(a, user);
  const page = await a.get("/account/two-factor");
  const key = (textOf(page.text).match(/Type this key into the app instead: ([A-Z2-7 ]+?) Enter/)?.[1] ?? "").replace(/ /g, "");
  const res = await submit(a, "/account/two-factor", "/account/two-factor", { code: totpCode(key) });
  const codes = [...res.text.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1] as string);
  return { key, codes, res, agent: a };
}

/** The password step: a redirect to the code page, and no session yet. */
async function passwordStep(agent: Agent, user: UserFixture) {
  const page = await agent.get("/login");
  const res = await agent
    .post("/login")
    .type("form")
    .send({ _csrf: csrfFrom(page.text), email: user.email, password: PASSWORD });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe("/login/two-factor?next=%2F");
  expect(String(res.headers["set-cookie"])).not.toContain("curbside_session=");
  return res;
}

/**
 * Waits, when less than 5 s of the current 30 s time step remain, for the next step to begin: a test that spends
 * one step's code and then expects that same step's code to be refused must not cross into the next step.
 */
async function awayFromStepEnd() {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

const codeStep = (agent: Agent, code: string) => submit(agent, "/login/two-factor", "/login/two-factor", { code });

describe("setting up", () => {
  it("shows a QR code made on the server and the key written out, and needs a right first code", async () => {
    const user = await createUser(t.db, "patient");
    const agent = t.agent();
    await logIn(agent, user);
    const page = await agent.get("/account/two-factor");
    expect(page.text).toMatch(/<img src="data:image\/svg\+xml;base64,[^"]+" alt="QR code/);
    expect(textOf(page.text)).toMatch(/Type this key into the app instead: ([A-Z2-7]{4} )+/);
    const wrong = await submit(agent, "/account/two-factor", "/account/two-factor", { code: "000000" });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.text)).toContain("That code doesn't match.");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).toBeNull();
    const { codes, res } = await enable(user, agent);
    expect(res.status).toBe(200);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Only hashes are kept.
    const stored = await t.db.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(JSON.stringify(stored)).not.toContain(code);
    // Shown once: the page now says it is on, and lists no codes.
    const after = await agent.get("/account/two-factor");
    expect(textOf(after.text)).toContain("Two-factor sign-in is on");
    expect(after.text).not.toContain(codes[0]);
  });
});

describe("signing in with two-factor", () => {
  it("asks for the code on its own page; a right code signs in, the same code again is refused (no replay)", async () => {
    const user = await createUser(t.db, "patient");
    await awayFromStepEnd();
    const { key } = await enable(user);
    const agent = t.agent();
    await passwordStep(agent, user);
    expect((await agent.get("/account")).status).toBe(302); // half signed in is not signed in
    // The set-up used this step's code, so it is spent: the app's next code (one step on, inside the window) works.
    expect((await codeStep(agent, totpCode(key))).status).toBe(401);
    await passwordStep(agent, user);
    const code = totpCode(key, Date.now() + 30_000);
    const ok = await codeStep(agent, code);
    expect(ok.status).toBe(303);
    expect((await agent.get("/account")).status).toBe(200);
    const again = t.agent();
    await passwordStep(again, user);
    const replay = await codeStep(again, code);
    expect(replay.status).toBe(401);
    expect(textOf(replay.text)).toContain("That code is not right, or was already used.");
  });

  it("refuses a wrong code and counts it: the sign-in lock closes after too many", async () => {
    const user = await createUser(t.db, "patient");
    // (The first refusal above counted once for that person too; each test has its own person.)
    const { key } = await enable(user);
    const agent = t.agent();
    await passwordStep(agent, user);
    for (let i = 0; i < 4; i++) expect((await codeStep(agent, String(100000 + i))).status).toBe(401);
    const locked = await codeStep(agent, totpCode(key));
    expect(locked.status).toBe(429);
    expect(textOf(locked.text)).toContain("Too many sign-in attempts.");
    expect((await agent.get("/account")).status).toBe(302);
  });

  it("a recovery code signs in once", async () => {
    const user = await createUser(t.db, "patient");
    const { codes } = await enable(user);
    const first = t.agent();
    await passwordStep(first, user);
    expect((await codeStep(first, (codes[0] as string).toUpperCase())).status).toBe(303);
    const second = t.agent();
    await passwordStep(second, user);
    expect((await codeStep(second, codes[0] as string)).status).toBe(401);
    expect((await codeStep(second, codes[1] as string)).status).toBe(303);
  });

  it("the code page without the password step sends to sign in; a forged pending token is refused", async () => {
    expect((await t.agent().get("/login/two-factor")).headers.location).toBe("/login?next=%2F");
    const user = await createUser(t.db, "patient");
    const { key } = await enable(user);
    const agent = t.agent();
    const page = await agent.get("/login");
    const res = await agent
      .post("/login/two-factor")
      .set("Cookie", `curbside_pending_login=${user.id}.${Date.now() + 60_000}.forged`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), code: totpCode(key) });
    expect(res.status).toBe(401);
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(1); // only the set-up session
  });

  it("turning it off needs the password", async () => {
    const user = await createUser(t.db, "patient");
    const { agent } = await enable(user);
    const wrong = await submit(agent, "/account/two-factor", "/account/two-factor/disable", { password: "not my password" });
    expect(wrong.status).toBe(400);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).not.toBeNull();
    const right = await submit(agent, "/account/two-factor", "/account/two-factor/disable", { password: PASSWORD });
    expect(right.status).toBe(303);
    expect(await t.db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    await logIn(t.agent(), user);
  });
});

describe("staff must use it when the admins say so", () => {
  it("a moderator or admin without it is held at set-up before any staff page; with it, they pass", async () => {
    const admin = await createUser(t.db, "admin");
    const adminAgent = t.agent();
    await logIn(adminAgent, admin);
    const moderator = await createUser(t.db, "moderator");
    const modAgent = t.agent();
    await logIn(modAgent, moderator);
    expect((await modAgent.get("/moderation")).status).toBe(200);
    expect((await submit(adminAgent, "/admin/settings", "/admin/settings/two-factor", { staffTwoFactor: "required" })).status).toBe(303);
    for (const path of ["/moderation", "/moderation/log", "/admin/settings"]) {
      const res = await (path.startsWith("/admin") ? adminAgent : modAgent).get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.location).toBe("/account/two-factor?required=1");
    }
    const held = await modAgent.get("/account/two-factor?required=1");
    expect(textOf(held.text)).toContain("Moderators and admins must use two-factor sign-in.");
    // A patient is not affected.
    const patient = t.agent();
    await logIn(patient, await createUser(t.db, "patient"));
    expect((await patient.get("/account")).status).toBe(200);
    await enable(moderator, modAgent);
    expect((await modAgent.get("/moderation")).status).toBe(200);
    // Back to optional for the other tests (the admin sets up two-factor to reach the settings).
    await enable(admin, adminAgent);
    await submit(adminAgent, "/admin/settings", "/admin/settings/two-factor", { staffTwoFactor: "optional" });
    expect((await t.db.siteSettings.findUniqueOrThrow({ where: { id: 1 } })).requireStaffTwoFactor).toBe(false);
  });

  it("is on by default in production, off elsewhere, and STAFF_TWO_FACTOR decides when set", async () => {
    const { loadConfig } = await import("../src/config.ts");
    expect(loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://x.example" }).staffTwoFactorDefault).toBe(true);
    expect(loadConfig({ NODE_ENV: "development" }).staffTwoFactorDefault).toBe(false);
    expect(loadConfig({ NODE_ENV: "development", STAFF_TWO_FACTOR: "true" }).staffTwoFactorDefault).toBe(true);
    expect(loadConfig({ NODE_ENV: "production", STAFF_TWO_FACTOR: "false" }).staffTwoFactorDefault).toBe(false);
  });

  it("only admins may change it", async () => {
    const moderator = t.agent();
    await logIn(moderator, await createUser(t.db, "moderator"));
    const res = await submit(moderator, "/account", "/admin/settings/two-factor", { staffTwoFactor: "optional" });
    expect(res.status).toBe(403);
  });
});

describe("recent sign-in for sensitive actions", () => {
  it("the data export needs the password given in the last 10 minutes", async () => {
    const user = await createUser(t.db, "patient");
    const agent = t.agent();
    await logIn(agent, user);
    expect((await agent.get("/account/export")).status).toBe(200);
    await t.db.session.updateMany({ where: { userId: user.id }, data: { authenticatedAt: new Date(Date.now() - 11 * 60 * 1000) } });
    const stale = await agent.get("/account/export");
    expect(stale.status).toBe(302);
    expect(stale.headers.location).toBe("/account/confirm?next=%2Faccount%2Fexport");
    const wrong = await submit(agent, stale.headers.location as string, "/account/confirm", { password: "not my password" });
    expect(wrong.status).toBe(401);
    const right = await submit(agent, stale.headers.location as string, "/account/confirm", { password: PASSWORD });
    expect(right.headers.location).toBe("/account/export");
    expect((await agent.get("/account/export")).status).toBe(200);
  });

  it("or a code from the app", async () => {
    const user = await createUser(t.db, "patient");
    const { key, agent } = await enable(user);
    await t.db.session.updateMany({ where: { userId: user.id }, data: { authenticatedAt: new Date(Date.now() - 11 * 60 * 1000) } });
    expect((await agent.get("/account/export")).status).toBe(302);
    const res = await submit(agent, "/account/confirm?next=%2Faccount%2Fexport", "/account/confirm", {
      code: totpCode(key, Date.now() + 30_000),
    });
    expect(res.status).toBe(303);
    expect((await agent.get("/account/export")).status).toBe(200);
  });
});
