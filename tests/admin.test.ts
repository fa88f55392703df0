// The first admin in production: `npm run admin:create -- EMAIL` run as a real process against the test
// database, its one-time link followed over HTTP, the password set, /admin/settings reached. Then members and
// roles: who may see /admin/members, role changes with a reason, and the last admin, race included.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETUP_LINK_MS } from "../src/admin/setup-links.ts";
import { DEFAULT_SETTINGS } from "../src/settings/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createUser, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";
import { setupLinkFor } from "./helpers/setup-links.ts";

const run = promisify(execFile);

/** Two-factor for staff (on by default in production) is tested in two-factor.test.ts; here it is turned off. */
async function staffTwoFactorOptional() {
  const data = { requireStaffTwoFactor: false };
  await t.db.siteSettings.upsert({ where: { id: 1 }, create: { id: 1, ...DEFAULT_SETTINGS, ...data }, update: data });
}
const ROOT = join(import.meta.dirname, "..");
const PUBLIC_URL = "https://forum.example.org";

let t: TestApp;
beforeAll(async () => {
  // Production mode, as an operator runs it (cookies not Secure only because supertest speaks plain http).
  t = await buildTestApp({ NODE_ENV: "production", SECURE_COOKIES: "false", PUBLIC_URL, SEED_DEMO: "false" });
});
afterAll(() => t.close());

/** Runs the command as an operator would, in production mode, against this file's database. */
async function adminCreate(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/admin/create-cli.ts", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: "production", DATABASE_URL: t.database.url, PUBLIC_URL },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const linkIn = (stdout: string) => {
  const url = stdout.match(/https:\/\/forum\.example\.org(\/set-password\/[A-Za-z0-9_-]{43})\b/)?.[1];
  if (!url) throw new Error(`no link in: ${stdout}`);
  return url;
};

describe("npm run admin:create", () => {
  it("creates an admin whose one-time link sets a password and leads to /admin/settings", async () => {
    const made = await adminCreate("--", "First.Admin@Example.org");
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain("Created the admin account first.admin@example.org");
    const path = linkIn(made.stdout);
    const token = path.split("/").pop() as string;

    const user = await t.db.user.findUniqueOrThrow({ where: { email: "first.admin@example.org" } });
    expect(user.role).toBe("ADMIN");
    expect(user.pseudonym).toMatch(/^Admin/);
    // Only a hash of the token is kept.
    const links = await t.db.passwordSetupLink.findMany({ where: { userId: user.id } });
    expect(links).toHaveLength(1);
    expect(JSON.stringify(links)).not.toContain(token);
    expect(links[0]?.expiresAt.getTime()).toBeGreaterThan(Date.now() + SETUP_LINK_MS - 5 * 60_000);
    // Without a password nobody can sign in yet.
    const early = await t.agent().get("/login");
    const refused = await t
      .agent()
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(early.text), email: user.email, password: "!unset" });
    expect(refused.status).not.toBe(303);

    const agent = t.agent();
    const page = await agent.get(path);
    expect(page.status).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(textOf(page.text)).toContain("Set your password");
    // Showing the page spends nothing.
    expect(await t.db.passwordSetupLink.count({ where: { userId: user.id, usedAt: null } })).toBe(1);

    const short = await submit(agent, path, path, { password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(textOf(short.text)).toContain("Use at least 10 characters");
    const differ = await submit(agent, path, path, { password: "a long enough password", confirm: "a long enough passw0rd" });
    expect(differ.status).toBe(400);
    expect(textOf(differ.text)).toContain("The two passwords differ");
    const forged = await agent
      .post(path)
      .type("form")
      .send({ _csrf: "forged", password: "a long enough password", confirm: "a long enough password" });
    expect(forged.status).toBe(403);
    expect(await t.db.passwordSetupLink.count({ where: { userId: user.id, usedAt: null } })).toBe(1);

    const set = await submit(agent, path, path, { password: "a long enough password", confirm: "a long enough password" });
    expect(set.status).toBe(303);
    expect(set.headers.location).toBe("/admin/settings");
    // In production staff need two-factor sign-in (#23): the new admin is sent to set it up first.
    const held = await agent.get("/admin/settings");
    expect(held.status).toBe(302);
    expect(held.headers.location).toBe("/account/two-factor?required=1");
    expect((await agent.get("/account/two-factor?required=1")).status).toBe(200);
    await staffTwoFactorOptional();
    const settings = await agent.get("/admin/settings");
    expect(settings.status).toBe(200);
    expect(textOf(settings.text)).toContain("Moderation settings");

    // Single use: the link is gone, and the new password signs in elsewhere.
    expect((await t.agent().get(path)).status).toBe(410);
    const again = await submit(t.agent(), "/login", path, { password: "another long password", confirm: "another long password" });
    expect(again.status).toBe(410);
    await logIn(t.agent(), user, "a long enough password");

    const audit = await t.db.moderationLog.findMany({ where: { targetId: user.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["admin.created", "password.set"]);
  }, 180_000);

  it("promotes an existing member, and a second run makes the first link useless", async () => {
    const member = await createUser(t.db, "patient");
    const first = await adminCreate(member.email);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("is now an admin (was patient)");
    const second = await adminCreate(member.email);
    expect(second.code, second.stderr).toBe(0);
    expect((await t.http().get(linkIn(first.stdout))).status).toBe(410);
    expect((await t.http().get(linkIn(second.stdout))).status).toBe(200);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("ADMIN");
    const audit = await t.db.moderationLog.findMany({ where: { targetId: member.id, action: "admin.promoted" } });
    expect(audit).toHaveLength(2);
    expect(audit[0]?.note).toContain("was PATIENT");
  }, 180_000);

  it("refuses a bad address without touching the database", async () => {
    const before = await t.db.user.count();
    for (const args of [[], ["not-an-email"], ["a@example.org", "b@example.org"]]) {
      const res = await adminCreate(...args);
      expect(res.code, args.join(" ")).toBe(2);
      expect(res.stderr).toContain("Usage: npm run admin:create -- EMAIL");
    }
    expect(await t.db.user.count()).toBe(before);
  }, 180_000);

  it("refuses an expired or unknown link", async () => {
    const member = await createUser(t.db, "patient");
    const expired = await setupLinkFor(t.db, member, -1000);
    expect((await t.http().get(`/set-password/${expired}`)).status).toBe(410);
    const res = await submit(t.agent(), "/login", `/set-password/${expired}`, {
      password: "a long enough password",
      confirm: "a long enough password",
    });
    expect(res.status).toBe(410);
    for (const bad of ["x".repeat(43), "short", "%00".repeat(10), "a".repeat(100)]) {
      expect((await t.http().get(`/set-password/${bad}`)).status, bad).toBe(410);
    }
    expect((await t.http().get(`/set-password/${"a".repeat(101)}`)).status).toBe(404);
  });
});

async function signedIn(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

describe("/admin/members", () => {
  beforeAll(async () => {
    await staffTwoFactorOptional();
  });

  it("finds members by pseudonym or email, and shows emails to admins only", async () => {
    const admin = await createUser(t.db, "admin");
    const rose = await createUser(t.db, "patient", { pseudonym: "Rosemary Finder", email: "rose.finder@example.test" });
    const agent = await signedIn(admin);
    const byName = await agent.get("/admin/members?q=rosemary");
    expect(byName.status).toBe(200);
    expect(textOf(byName.text)).toContain("Rosemary Finder");
    expect(textOf(byName.text)).toContain(rose.email);
    const byEmail = await agent.get("/admin/members?q=ROSE.FINDER@");
    expect(textOf(byEmail.text)).toContain("Rosemary Finder");
    const nobody = await agent.get(`/admin/members?q=${encodeURIComponent("zz%_no such member")}`);
    expect(textOf(nobody.text)).toContain("No members found");
    // Odd input is a search like any other, never an error page.
    for (const q of ["' OR 1=1 --", "\u0000", "%", "x".repeat(300)]) {
      expect((await agent.get(`/admin/members?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
    }
  });

  it("refuses everyone but admins, suspended admins included", async () => {
    const suspendedAdmin = await createUser(t.db, "admin");
    await t.db.user.update({ where: { id: suspendedAdmin.id }, data: { suspendedUntil: new Date(Date.now() + 86_400_000) } });
    const target = await createUser(t.db, "patient", { email: "target.private@example.test" });
    for (const persona of ["patient", "physician", "moderator"] as const) {
      const agent = await signedIn(await createUser(t.db, persona));
      const page = await agent.get("/admin/members?q=target");
      expect(page.status, persona).toBe(403);
      expect(page.text).not.toContain("target.private@example.test");
    }
    const suspended = await signedIn(suspendedAdmin);
    expect((await suspended.get("/admin/members?q=target")).status).toBe(403);
    const post = await submit(suspended, "/account", `/admin/members/${target.id}/role`, { role: "ADMIN", reason: "Taking over" });
    expect(post.status).toBe(403);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("PATIENT");
    const reader = await t.http().get("/admin/members");
    expect(reader.status).toBe(302);
    expect(reader.headers.location).toMatch(/^\/login\?next=/);
  });

  it("changes a role with a reason, logged; bad input keeps the reason typed", async () => {
    const admin = await createUser(t.db, "admin");
    const member = await createUser(t.db, "patient", { pseudonym: "Soon Moderator" });
    const agent = await signedIn(admin);
    const page = `/admin/members?q=${encodeURIComponent("Soon Moderator")}`;
    const action = `/admin/members/${member.id}/role?q=Soon+Moderator`;
    const noReason = await submit(agent, page, action, { role: "MODERATOR", reason: " " });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.text)).toContain("Give a reason");
    const badRole = await submit(agent, page, action, { role: "PHYSICIAN", reason: "Typed with care" });
    expect(badRole.status).toBe(400);
    expect(textOf(badRole.text)).toContain("Choose patient, moderator or admin");
    expect(badRole.text).toContain('value="Typed with care"');
    expect((await submit(agent, page, "/admin/members/not-a-uuid/role", { role: "ADMIN", reason: "x".repeat(10) })).status).toBe(404);
    expect(
      (await submit(agent, page, "/admin/members/00000000-0000-4000-8000-000000000000/role", { role: "ADMIN", reason: "Nobody" })).status,
    ).toBe(404);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("PATIENT");

    const done = await submit(agent, page, action, { role: "MODERATOR", reason: "Helps with the night queue" });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe("/admin/members?q=Soon+Moderator&notice=changed");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("MODERATOR");
    const [entry] = await t.db.moderationLog.findMany({ where: { targetId: member.id, action: "role.change" } });
    expect(entry).toMatchObject({ actorId: admin.id, reason: "Helps with the night queue", note: "PATIENT → MODERATOR" });
    // The new moderator's next request sees the queue.
    expect((await (await signedIn(member)).get("/moderation")).status).toBe(200);
  });

  it("never demotes the last admin, even when two admins demote each other at once", async () => {
    // Every admin but two fresh ones is demoted first, so that these two are the only ones.
    await t.db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "MODERATOR" } });
    const a = await createUser(t.db, "admin");
    const b = await createUser(t.db, "admin");
    const agentA = await signedIn(a);
    const agentB = await signedIn(b);
    const tokenA = csrfFrom((await agentA.get("/admin/members")).text);
    const tokenB = csrfFrom((await agentB.get("/admin/members")).text);
    const [ra, rb] = await Promise.all([
      agentA.post(`/admin/members/${b.id}/role`).type("form").send({ _csrf: tokenA, role: "PATIENT", reason: "Coup attempt one" }),
      agentB.post(`/admin/members/${a.id}/role`).type("form").send({ _csrf: tokenB, role: "PATIENT", reason: "Coup attempt two" }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([303, 409]);
    expect(await t.db.user.count({ where: { role: "ADMIN" } })).toBe(1);
    const last = (await t.db.user.findFirstOrThrow({ where: { role: "ADMIN" } })).id === a.id ? agentA : agentB;
    const lastId = last === agentA ? a.id : b.id;
    const self = await submit(last, "/admin/members", `/admin/members/${lastId}/role`, { role: "MODERATOR", reason: "Stepping down" });
    expect(self.status).toBe(409);
    expect(textOf(self.text)).toContain("This is the last admin");
    expect(await t.db.user.count({ where: { role: "ADMIN" } })).toBe(1);
  });
});
