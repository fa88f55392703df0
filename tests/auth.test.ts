// Sign-up, sign-in and sign-out: sessions stored only as hashes, one generic failure message, throttling,
// and a physician's verification application filed at sign-up.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_FAILED } from "../src/auth/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createUser, PASSWORD, type UserFixture } from "./helpers/factories.ts";
import { HOSTILE_NEXT } from "./helpers/hostile-next.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";
import { signUpAndConfirm } from "./helpers/signup.ts";

let t: TestApp;
let user: UserFixture;

beforeAll(async () => {
  t = await buildTestApp();
  user = await createUser(t.db, "patient");
});
afterAll(() => t.close());

function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers["set-cookie"] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith("curbside_session="));
}

describe("sign up", () => {
  it("creates a patient once the mailed link is opened, signs them in, and stores an argon2id hash", async () => {
    const agent = t.agent();
    const { signup, confirm: res } = await signUpAndConfirm(t, agent, {
      email: "Poppy@Example.test ",
      password: "poppy's long password",
      pseudonym: "Poppy",
    });
    expect(sessionCookie(signup)).toBeUndefined();
    expect(res.status).toBe(303);
    expect(sessionCookie(res)).toBeDefined();
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "poppy@example.test" } });
    expect(row.role).toBe("PATIENT");
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(textOf((await agent.get("/account")).text)).toContain("poppy@example.test");
  });

  it("files a verification application for a physician, who is not verified yet", async () => {
    const agent = t.agent();
    const { confirm: res } = await signUpAndConfirm(t, agent, {
      email: "dr.lark@example.test",
      password: "a long enough password",
      pseudonym: "Lark",
      isPhysician: "on",
      fullName: "Lark Meadows",
      credentials: "MD",
      specialty: "Reproductive immunology",
      licenseNumber: "ABC-123",
      jurisdiction: "Testland Medical Board",
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/account");
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "dr.lark@example.test" }, include: { physicianProfile: true } });
    expect(row.role).toBe("PHYSICIAN");
    expect(row.physicianProfile).toMatchObject({
      status: "PENDING",
      fullName: "Lark Meadows",
      licenseNumber: "ABC-123",
      handle: "lark-meadows",
    });
    expect(textOf((await agent.get("/account")).text)).toContain("Awaiting review.");
  });

  it("treats pseudonyms case-insensitively", async () => {
    await createUser(t.db, "patient", { pseudonym: "Bluebell" });
    const res = await submit(t.agent(), "/signup", "/signup", {
      email: "bb@example.test",
      password: "a long enough password",
      pseudonym: "BLUEBELL",
      consent: "yes",
    });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain("That pseudonym is taken.");
  });
});

describe("sessions", () => {
  it("stores only the SHA-256 of the session id, and the id carries at least 120 bits", async () => {
    const agent = t.agent();
    const res = await logIn(agent, user);
    const cookie = sessionCookie(res) ?? "";
    const id = cookie.split(";")[0]?.split("=")[1] ?? "";
    // Lucia ids are base32 (5 bits per character).
    expect(id.length * 5).toBeGreaterThanOrEqual(120);
    const rows = await t.db.session.findMany({ where: { userId: user.id } });
    expect(rows.map((r) => r.id)).toContain(createHash("sha256").update(id).digest("hex"));
    expect(rows.map((r) => r.id)).not.toContain(id);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("makes a new session at every sign-in and ends it at sign-out", async () => {
    const agent = t.agent();
    const first = sessionCookie(await logIn(agent, user));
    const second = sessionCookie(await logIn(agent, user));
    expect(first).not.toBe(second);
    const id = second?.split(";")[0]?.split("=")[1] ?? "";
    const hash = createHash("sha256").update(id).digest("hex");
    expect(await t.db.session.count({ where: { id: hash } })).toBe(1);
    const out = await submit(agent, "/account", "/logout", {});
    expect(out.status).toBe(303);
    expect(await t.db.session.count({ where: { id: hash } })).toBe(0);
    expect((await agent.get("/account")).headers.location).toBe("/login?next=%2Faccount");
  });

  it("a stolen cookie stops working after sign-out", async () => {
    const agent = t.agent();
    const cookie = (sessionCookie(await logIn(agent, user)) ?? "").split(";")[0] ?? "";
    expect((await t.http().get("/account").set("Cookie", cookie)).status).toBe(200);
    await submit(agent, "/account", "/logout", {});
    expect((await t.http().get("/account").set("Cookie", cookie)).status).toBe(302);
  });

  it("sign-out without a valid token asks for confirmation instead", async () => {
    const agent = t.agent();
    await logIn(agent, user);
    const res = await agent.post("/logout").type("form").send({});
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain("Sign out?");
    expect((await agent.get("/account")).status).toBe(200);
  });

  it("signed-in pages are never cached", async () => {
    const agent = t.agent();
    await logIn(agent, user);
    expect((await agent.get("/")).headers["cache-control"]).toBe("no-store");
  });
});

describe("sign in", () => {
  it("gives the same status and message for an unknown email and a wrong password", async () => {
    const unknown = await submit(t.agent(), "/login", "/login", { email: "nobody@example.test", password: PASSWORD });
    const wrong = await submit(t.agent(), "/login", "/login", { email: user.email, password: "not the password" });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(textOf(unknown.text)).toContain(LOGIN_FAILED);
    expect(textOf(wrong.text)).toContain(LOGIN_FAILED);
  });

  it.each(HOSTILE_NEXT.map((v) => [JSON.stringify(v), v]))(
    "open redirect: next=%s leads to a path on this site, never a 500",
    async (_label, next) => {
      // A lone surrogate cannot be percent-encoded: send the bytes a client would (an invalid UTF-8 sequence).
      const encoded = /[\ud800-\udfff]/.test(next) ? "%ED%A0%80" : encodeURIComponent(next);
      // Signed out: the form carries a safe next.
      const form = await t.agent().get(`/login?next=${encoded}`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('name="next" value="/"');
      // Signed in: GET /login redirects straight away.
      const agent = t.agent();
      await logIn(agent, user);
      const res = await agent.get(`/login?next=${encoded}`);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe("/");
      // Signing in with a hostile next.
      const fresh = t.agent();
      const page = await fresh.get("/login");
      const posted = await fresh
        .post("/login")
        .type("form")
        .send({ _csrf: csrfFrom(page.text), email: user.email, password: PASSWORD, next });
      expect(posted.status).toBe(303);
      expect(posted.headers.location).toBe("/");
    },
  );

  it("open redirect: the probe's /%09/evil.invalid/x and raw %0a, %0d, %00 in the query give / (not a 500)", async () => {
    const agent = t.agent();
    await logIn(agent, user);
    for (const query of ["/%09/evil.invalid/x", "/%0a", "/%0d/x", "/%00", "/%E2%80%AE", "%2F%2Fevil.invalid", "/\\evil.invalid"]) {
      const res = await agent.get(`/login?next=${query}`);
      expect(res.status, query).toBe(302);
      expect(res.headers.location, query).toBe("/");
    }
  });

  it("follows only same-site next paths", async () => {
    const agent = t.agent();
    const page = await agent.get("/login?next=%2F%2Fevil.example");
    expect(page.text).toContain('name="next" value="/"');
    const res = await submit(agent, "/login?next=/ask", "/login", { email: user.email, password: PASSWORD, next: "/ask" });
    expect(res.headers.location).toBe("/ask");
  });

  it("throttles repeated failures for one account from one address, with a clear message", async () => {
    const target = await createUser(t.db, "patient");
    for (let i = 0; i < 10; i++) {
      const res = await submit(t.agent(), "/login", "/login", { email: target.email, password: `wrong ${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await submit(t.agent(), "/login", "/login", { email: target.email, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(textOf(blocked.text)).toContain("Too many sign-in attempts");
    expect(blocked.text).toContain(`value="${target.email}"`);
  });
});
