// Sessions and sign-in under attack: expiry, cookie attributes in production, sessions ended on password
// change and account deletion, per-account and per-IP limits, equal timing for unknown and known emails,
// one post per double-submitted form, and request limits.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPasswordHasher, OWASP_ARGON2 } from "../src/lib/passwords.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createThread, createUser, PASSWORD } from "./helpers/factories.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";
import { signUpAndConfirm } from "./helpers/signup.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ SESSION_IDLE_DAYS: "7", SESSION_ABSOLUTE_DAYS: "30" });
});
afterAll(() => t.close());

const DAY = 86_400_000;
const cookieOf = (res: { headers: Record<string, unknown> }) =>
  ((res.headers["set-cookie"] as string[] | undefined) ?? []).find((c) => /curbside_session=/.test(c)) ?? "";
const idOf = (cookie: string) => cookie.split(";")[0]?.split("=")[1] ?? "";
const hash = (id: string) => createHash("sha256").update(id).digest("hex");

describe("expiry", () => {
  it("ends a session left idle past SESSION_IDLE_DAYS", async () => {
    const user = await createUser(t.db);
    const agent = t.agent();
    const id = idOf(cookieOf(await logIn(agent, user)));
    const row = await t.db.session.findUniqueOrThrow({ where: { id: hash(id) } });
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * DAY);
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(7 * DAY);
    await t.db.session.update({ where: { id: hash(id) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await agent.get("/account")).status).toBe(302);
    expect(await t.db.session.count({ where: { id: hash(id) } })).toBe(0);
  });

  it("extends an active session, but never past SESSION_ABSOLUTE_DAYS after sign-in", async () => {
    const user = await createUser(t.db);
    const agent = t.agent();
    const id = idOf(cookieOf(await logIn(agent, user)));
    // Active, with little idle time left: the next request slides the expiry forward.
    await t.db.session.update({ where: { id: hash(id) }, data: { expiresAt: new Date(Date.now() + DAY) } });
    const refreshed = await agent.get("/account");
    expect(refreshed.status).toBe(200);
    expect(cookieOf(refreshed)).toContain(id);
    const slid = await t.db.session.findUniqueOrThrow({ where: { id: hash(id) } });
    expect(slid.expiresAt.getTime() - Date.now()).toBeGreaterThan(6 * DAY);
    // Signed in 29.5 days ago: the slide stops at the 30-day limit…
    await t.db.session.update({
      where: { id: hash(id) },
      data: { createdAt: new Date(Date.now() - 29.5 * DAY), expiresAt: new Date(Date.now() + DAY) },
    });
    await agent.get("/account");
    const capped = await t.db.session.findUniqueOrThrow({ where: { id: hash(id) } });
    expect(capped.expiresAt.getTime()).toBeLessThanOrEqual(capped.createdAt.getTime() + 30 * DAY);
    // …and at 30 days the session ends, however active.
    await t.db.session.update({ where: { id: hash(id) }, data: { createdAt: new Date(Date.now() - 30 * DAY - 1000) } });
    expect((await agent.get("/account")).status).toBe(302);
  });
});

describe("cookies in production", () => {
  it("are __Host- prefixed, Secure, HttpOnly and SameSite=Lax, and HSTS is sent", async () => {
    const prod = await buildTestApp({ NODE_ENV: "production", PUBLIC_URL: "https://curbside.example" });
    try {
      const user = await createUser(prod.db);
      const agent = prod.agent();
      const page = await agent.get("/login");
      expect(page.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
      const csrfCookie = ((page.headers["set-cookie"] as string[] | undefined) ?? []).join(";");
      expect(csrfCookie).toMatch(/__Host-curbside_csrf=/);
      const res = await agent
        .post("/login")
        .set("Cookie", csrfCookie.split(";")[0] ?? "")
        .type("form")
        .send({ _csrf: csrfFrom(page.text), email: user.email, password: PASSWORD });
      expect(res.status).toBe(303);
      const cookie =
        ((res.headers["set-cookie"] as string[] | undefined) ?? []).find((c) => c.startsWith("__Host-curbside_session=")) ?? "";
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/; Domain=/i);
    } finally {
      await prod.close();
    }
  });

  it("in development the cookie has no Secure flag and no HSTS is sent", async () => {
    const agent = t.agent();
    const page = await agent.get("/login");
    expect(page.headers["strict-transport-security"]).toBeUndefined();
    const csrfCookie = ((page.headers["set-cookie"] as string[] | undefined) ?? []).find((c) => c.startsWith("curbside_csrf=")) ?? "";
    expect(csrfCookie).not.toBe("");
    expect(csrfCookie).not.toMatch(/; Secure/i);
    const res = await logIn(agent, await createUser(t.db));
    const cookie = ((res.headers["set-cookie"] as string[] | undefined) ?? []).find((c) => c.startsWith("curbside_session=")) ?? "";
    expect(cookie).not.toBe("");
    expect(cookie).not.toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
  });
});

describe("ending sessions", () => {
  it("a password change ends every other session and keeps this one", async () => {
    const user = await createUser(t.db);
    const here = t.agent();
    const elsewhere = t.agent();
    await logIn(here, user);
    await logIn(elsewhere, user);
    const res = await submit(here, "/account", "/account/password", { currentPassword: PASSWORD, newPassword: "a brand new password" });
    expect(res.status).toBe(303);
    expect((await here.get("/account")).status).toBe(200);
    expect((await elsewhere.get("/account")).status).toBe(302);
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(1);
    expect(textOf((await here.get("/account?notice=password-changed")).text)).toContain("signed out everywhere else");
  });

  it("a wrong current password changes nothing", async () => {
    const user = await createUser(t.db);
    const agent = t.agent();
    await logIn(agent, user);
    const res = await submit(agent, "/account", "/account/password", {
      currentPassword: "not it at all",
      newPassword: "a brand new password",
    });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("That password is not correct.");
    // Nothing changed: the old password still signs in, the new one does not, and the session is kept.
    expect((await agent.get("/account")).status).toBe(200);
    expect((await logIn(t.agent(), user)).status).toBe(303);
    await expect(logIn(t.agent(), user, "a brand new password")).rejects.toThrow(/login failed/);
  });

  it("account deletion ends all sessions and leaves no personal data, while posts stay as Former member", async () => {
    const user = await createUser(t.db, "physician", {
      pseudonym: "Delete Me Please",
      email: "delete.me@example.test",
      fullName: "Dana Deletable",
    });
    const thread = await createThread(t.db, user, { title: "A thread by someone leaving" });
    const moderator = await createUser(t.db, "moderator");
    await t.db.moderationLog.create({
      data: { actorId: moderator.id, action: "approve", targetType: "THREAD", targetId: String(thread.id) },
    });
    const a = t.agent();
    const b = t.agent();
    const stolen = idOf(cookieOf(await logIn(a, user)));
    await logIn(b, user);
    const res = await submit(a, "/account", "/account/delete", { password: PASSWORD, confirm: "delete" });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Your account is deleted");
    expect((await b.get("/account")).status).toBe(302);
    expect((await t.http().get("/account").set("Cookie", `curbside_session=${stolen}`)).status).toBe(302);
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(0);

    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id }, include: { physicianProfile: true } });
    const everything = JSON.stringify(row);
    for (const secret of ["delete.me@example.test", "Delete Me Please", "Dana Deletable", "LIC-"]) expect(everything).not.toContain(secret);
    expect(row.passwordHash).toBe("");
    expect(row.physicianProfile).toBeNull();
    const page = textOf((await t.http().get(`/t/${thread.id}`)).text);
    expect(page).toContain("Former member");
    expect(page).not.toContain("Dana Deletable");
    expect(await t.db.moderationLog.count({ where: { targetId: String(thread.id) } })).toBe(1);
    // The email can be used again.
    expect(
      (
        await signUpAndConfirm(t, t.agent(), {
          email: "delete.me@example.test",
          password: "long enough password",
          pseudonym: "Back Again",
        })
      ).confirm.status,
    ).toBe(303);
  });

  it("deletion needs the password and the confirmation box", async () => {
    const user = await createUser(t.db);
    const agent = t.agent();
    await logIn(agent, user);
    const noBox = await submit(agent, "/account", "/account/delete", { password: PASSWORD });
    expect(noBox.status).toBe(400);
    expect(textOf(noBox.text)).toContain("Tick the box to confirm");
    const wrong = await submit(agent, "/account", "/account/delete", { password: "wrong password", confirm: "delete" });
    expect(wrong.status).toBe(400);
    expect((await agent.get("/account")).status).toBe(200);
  });
});

describe("sign-in limits", () => {
  it("limits failures per IP address across many accounts", async () => {
    const app = await buildTestApp({}, { loginLimits: { perPair: 100, perIp: 5, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 5; i++)
        expect((await submit(app.agent(), "/login", "/login", { email: `nobody${i}@example.test`, password: "x" })).status).toBe(401);
      const user = await createUser(app.db);
      const blocked = await submit(app.agent(), "/login", "/login", { email: user.email, password: PASSWORD });
      expect(blocked.status).toBe(429);
      expect(textOf(blocked.text)).toContain("Too many sign-in attempts");
    } finally {
      await app.close();
    }
  });

  // Timing under a fully parallel test run is noisy: a difference must show in three runs to fail.
  it("an unknown email and a wrong password take the same time (median of 50 each, real argon2id)", {
    retry: 2,
    timeout: 60_000,
  }, async () => {
    const app = await buildTestApp(
      {},
      { passwords: createPasswordHasher(OWASP_ARGON2), loginLimits: { perPair: 1000, perIp: 1000, windowMs: 60_000 } },
    );
    try {
      const user = await createUser(app.db);
      // The fixture's hash used test parameters; give this account a real one.
      await app.db.user.update({
        where: { id: user.id },
        data: { passwordHash: await createPasswordHasher(OWASP_ARGON2).hash(PASSWORD) },
      });
      const agent = app.agent();
      const token = csrfFrom((await agent.get("/login")).text);
      const time = async (email: string) => {
        const start = performance.now();
        const res = await agent.post("/login").type("form").send({ _csrf: token, email, password: "definitely wrong" });
        expect(res.status).toBe(401);
        return { ms: performance.now() - start, body: textOf(res.text) };
      };
      await time("warm-up@example.test");
      const unknown: number[] = [];
      const known: number[] = [];
      let bodies = new Set<string>();
      for (let i = 0; i < 50; i++) {
        const u = await time(`unknown${i}@example.test`);
        const k = await time(user.email);
        unknown.push(u.ms);
        known.push(k.ms);
        bodies = new Set([...bodies, u.body.replace(/value="[^"]*"/g, ""), k.body]);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      expect(Math.abs(median(unknown) - median(known))).toBeLessThan(5);
      expect(median(known)).toBeGreaterThan(5); // a real hash was computed
      expect([...bodies], "an unknown and a known address get the same page").toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

describe("double submission", () => {
  it("the same question form sent twice at once creates one thread", async () => {
    const user = await createUser(t.db);
    const agent = t.agent();
    await logIn(agent, user);
    const page = await agent.get("/ask");
    const key = page.text.match(/name="_submission" value="([^"]+)"/)?.[1] ?? "";
    expect(key.length).toBeGreaterThanOrEqual(16);
    const fields = {
      _csrf: csrfFrom(page.text),
      _submission: key,
      title: "Sent twice by a double click",
      body: "The same question, sent twice at once.",
      categoryId: String(await categoryId(t.db)),
    };
    const [a, b] = await Promise.all([agent.post("/ask").type("form").send(fields), agent.post("/ask").type("form").send(fields)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.location).toBe(b.headers.location);
    expect(await t.db.thread.count({ where: { title: "Sent twice by a double click" } })).toBe(1);
  });

  it("the same reply form sent twice at once creates one reply", async () => {
    const user = await createUser(t.db);
    const thread = await createThread(t.db, user);
    const agent = t.agent();
    await logIn(agent, user);
    const page = await agent.get(`/t/${thread.id}`);
    const key = page.text.match(/name="_submission" value="([^"]+)"/)?.[1] ?? "";
    const fields = { _csrf: csrfFrom(page.text), _submission: key, body: "Sent twice", parentId: "" };
    const results = await Promise.all([1, 2, 3].map(() => agent.post(`/t/${thread.id}/replies`).type("form").send(fields)));
    expect(results.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(await t.db.reply.count({ where: { threadId: thread.id } })).toBe(1);
  });
});

describe("request limits", () => {
  it("an overlong address gets a 414 page", async () => {
    const res = await t.http().get(`/c/support?page=1&x=${"a".repeat(3000)}`);
    expect(res.status).toBe(414);
    expect(textOf(res.text)).toContain("That address is too long");
  });

  it("a form with thousands of fields is cut to the first 100 and still answered", async () => {
    const user = await createUser(t.db);
    const agent = t.agent();
    const token = csrfFrom((await agent.get("/login")).text);
    const junk = (from: number, n: number) => Array.from({ length: n }, (_, i) => `f${from + i}=x`);
    const form = (fields: string[]) => agent.post("/login").set("Content-Type", "application/x-www-form-urlencoded").send(fields.join("&"));
    const head = [`_csrf=${encodeURIComponent(token)}`, `email=${encodeURIComponent(user.email)}`];
    // The password among the first 100 fields: read, and the person is signed in despite 5,000 fields.
    const kept = await form([...head, `password=${encodeURIComponent(PASSWORD)}`, ...junk(0, 4997)]);
    expect(kept.status).toBe(303);
    // The password as field 101: cut off, so the form comes back asking for it (not a 500, not signed in).
    const other = t.agent();
    const token2 = csrfFrom((await other.get("/login")).text);
    const cut = await other
      .post("/login")
      .set("Content-Type", "application/x-www-form-urlencoded")
      .send(
        [
          `_csrf=${encodeURIComponent(token2)}`,
          `email=${encodeURIComponent(user.email)}`,
          ...junk(0, 98),
          `password=${encodeURIComponent(PASSWORD)}`,
          ...junk(98, 4900),
        ].join("&"),
      );
    expect(cut.status).toBe(400);
    expect((await other.get("/account")).status).toBe(302);
  });
});
