// Sign-in throttling that nobody else can turn against an account, counted in PostgreSQL so that every
// instance enforces one limit; password checks inside /account count in it too. Client addresses come from
// X-Forwarded-For (TRUST_PROXY=loopback: supertest connects from the loopback address). Time is an injected
// clock, moved instead of waited for: the account-wide delay is a 429 with Retry-After, never a sleep.
import type request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SIGN_IN_LIMITS } from "../src/auth/sign-in-throttle.ts";
import { purgeExpiredData } from "../src/privacy/retention.ts";
import { buildTestApp, type TestApp, testPasswords } from "./helpers/app.ts";
import { createUser, PASSWORD } from "./helpers/factories.ts";
import { csrfFrom, hiddenFieldsOf, textOf } from "./helpers/http.ts";

type Agent = ReturnType<typeof request.agent>;

const clock = { now: Date.parse("2026-12-01T12:00:00Z") };
const tick = (ms: number) => {
  clock.now += ms;
};

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ TRUST_PROXY: "loopback" }, { clock: () => clock.now });
});
afterAll(() => t.close());

let addressCounter = 0;
/** A fresh client address, one nobody has used yet. */
const freshAddress = () => {
  const n = ++addressCounter;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

/** Signs in (or tries to) from `ip`, as a browser would: the form's page, then its POST. */
async function signInFrom(app: TestApp, ip: string, email: string, password: string, agent: Agent = app.agent()) {
  const page = await agent.get("/login").set("x-forwarded-for", ip);
  return agent
    .post("/login")
    .set("x-forwarded-for", ip)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), email, password });
}

describe("sign-in lock per account and address", () => {
  it("ten wrong passwords from one address stop that address only: the right one from another address signs in", async () => {
    const user = await createUser(t.db);
    const attacker = freshAddress();
    for (let i = 0; i < 10; i++) expect((await signInFrom(t, attacker, user.email, `wrong ${i}`)).status).toBe(401);
    const fromAttacker = await signInFrom(t, attacker, user.email, PASSWORD);
    expect(fromAttacker.status).toBe(429);
    expect(textOf(fromAttacker.text)).toContain("Too many sign-in attempts");
    expect((await signInFrom(t, freshAddress(), user.email, PASSWORD)).status).toBe(303);
  });

  it("a 429 keeps the form with the email, and says when to try again (Retry-After)", async () => {
    const user = await createUser(t.db);
    const ip = freshAddress();
    for (let i = 0; i < 10; i++) await signInFrom(t, ip, user.email, `wrong ${i}`);
    const blocked = await signInFrom(t, ip, user.email, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain(`value="${user.email}"`);
    expect(hiddenFieldsOf(blocked.text, "/login")).not.toBeNull();
    const retry = Number(blocked.headers["retry-after"]);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
  });

  it("the lock ends with its window", async () => {
    const user = await createUser(t.db);
    const ip = freshAddress();
    for (let i = 0; i < 10; i++) await signInFrom(t, ip, user.email, `wrong ${i}`);
    expect((await signInFrom(t, ip, user.email, PASSWORD)).status).toBe(429);
    tick(DEFAULT_SIGN_IN_LIMITS.windowMs);
    expect((await signInFrom(t, ip, user.email, PASSWORD)).status).toBe(303);
  });

  it("an unknown email is counted like a wrong password", async () => {
    const ip = freshAddress();
    for (let i = 0; i < 10; i++) expect((await signInFrom(t, ip, "nobody-here@example.test", "x")).status).toBe(401);
    expect((await signInFrom(t, ip, "nobody-here@example.test", "x")).status).toBe(429);
  });
});

describe("sign-in limit per address", () => {
  it("50 failures from one address with random emails stop that address, and nobody at another address", async () => {
    const ip = freshAddress();
    for (let i = 0; i < 50; i++) expect((await signInFrom(t, ip, `random${i}-${ip}@example.test`, "x")).status).toBe(401);
    const user = await createUser(t.db);
    expect((await signInFrom(t, ip, user.email, PASSWORD)).status).toBe(429);
    expect((await signInFrom(t, freshAddress(), user.email, PASSWORD)).status).toBe(303);
  });
});

describe("account-wide delay: slowed, never locked", () => {
  it("failures from many addresses make every attempt wait a growing delay of at most a minute", async () => {
    const user = await createUser(t.db);
    const waits: number[] = [];
    for (let n = 1; n <= 12; n++) {
      const attacker = freshAddress();
      // Let the previous delay pass, so that the attacker's guess is counted.
      tick(61_000);
      expect((await signInFrom(t, attacker, user.email, `wrong from ${n}`)).status).toBe(401);
      const owner = await signInFrom(t, freshAddress(), user.email, `also wrong ${n}`);
      if (owner.status === 429) {
        expect(textOf(owner.text)).toContain("Too many sign-in attempts");
        waits.push(Number(owner.headers["retry-after"]));
      } else {
        expect(owner.status).toBe(401);
        waits.push(0);
      }
    }
    // Two failing addresses cost nothing; from the third on, the delay doubles up to a minute, and stays there.
    expect(waits.slice(0, 1)).toEqual([0]);
    const delays = waits.filter((w) => w > 0);
    expect(delays.length).toBeGreaterThan(5);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] as number);
    expect(Math.max(...delays)).toBe(60);
    expect(delays.at(-1)).toBe(60);
  });

  it("a third party failing from fresh addresses without end cannot keep the owner out: after Retry-After, the right password signs in", async () => {
    const user = await createUser(t.db);
    for (let round = 0; round < 20; round++) {
      tick(61_000);
      await signInFrom(t, freshAddress(), user.email, `guess ${round}`);
    }
    const owner = freshAddress();
    const blocked = await signInFrom(t, owner, user.email, PASSWORD);
    expect(blocked.status).toBe(429);
    const retry = Number(blocked.headers["retry-after"]);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    tick(retry * 1000);
    expect((await signInFrom(t, owner, user.email, PASSWORD)).status).toBe(303);
  });
});

describe("password checks inside /account count in the sign-in throttle", () => {
  async function signedIn(ip: string, persona: "patient" | "physician" = "patient") {
    const user = await createUser(t.db, persona);
    const agent = t.agent();
    const page = await agent.get("/login").set("x-forwarded-for", ip);
    const res = await agent
      .post("/login")
      .set("x-forwarded-for", ip)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email: user.email, password: PASSWORD });
    expect(res.status).toBe(303);
    return { user, agent };
  }

  async function post(agent: Agent, ip: string, action: string, fields: Record<string, string>) {
    const page = await agent.get("/account").set("x-forwarded-for", ip);
    return agent
      .post(action)
      .set("x-forwarded-for", ip)
      .type("form")
      .send({ ...hiddenFieldsOf(page.text, action), ...fields });
  }

  it("15 wrong passwords on POST /account/email, then the right one: refused, the email unchanged", async () => {
    const ip = freshAddress();
    const { user, agent } = await signedIn(ip);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++)
      statuses.push((await post(agent, ip, "/account/email", { email: `new${i}-${user.id}@example.test`, password: `wrong ${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    const right = await post(agent, ip, "/account/email", { email: `changed-${user.id}@example.test`, password: PASSWORD });
    expect(right.status).toBe(429);
    expect(right.headers["retry-after"]).toBeDefined();
    expect(textOf(right.text)).toContain("Too many wrong passwords");
    // The form comes back with what was typed.
    expect(right.text).toContain(`changed-${user.id}@example.test`);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
  });

  it("the password change and account deletion share the count: 10 wrong between them, then the right one is refused", async () => {
    const ip = freshAddress();
    const { user, agent } = await signedIn(ip, "physician");
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await post(agent, ip, "/account/password", {
            currentPassword: `wrong ${i}`,
            newPassword: "a new long password",
            confirmPassword: "a new long password",
          })
        ).status,
      ).toBe(400);
      expect((await post(agent, ip, "/account/delete", { password: `wrong ${i}`, confirm: "delete" })).status).toBe(400);
    }
    const change = await post(agent, ip, "/account/password", {
      currentPassword: PASSWORD,
      newPassword: "a new long password",
      confirmPassword: "a new long password",
    });
    expect(change.status).toBe(429);
    expect((await post(agent, ip, "/account/delete", { password: PASSWORD, confirm: "delete" })).status).toBe(429);
    const after = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.deletedAt).toBeNull();
    expect(await testPasswords.verify(after.passwordHash, PASSWORD)).toBe(true);
    // Guessing in /account also stops sign-in from that address for that account (but not from others).
    expect((await signInFrom(t, ip, user.email, PASSWORD)).status).toBe(429);
    expect((await signInFrom(t, freshAddress(), user.email, PASSWORD)).status).toBe(303);
  });

  it("a suspended member's password check for deleting their account is throttled too", async () => {
    const ip = freshAddress();
    const { user, agent } = await signedIn(ip);
    await t.db.user.update({ where: { id: user.id }, data: { suspendedUntil: new Date(clock.now + 86_400_000 * 365) } });
    for (let i = 0; i < 10; i++) await post(agent, ip, "/account/delete", { password: `wrong ${i}`, confirm: "delete" });
    expect((await post(agent, ip, "/account/delete", { password: PASSWORD, confirm: "delete" })).status).toBe(429);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).deletedAt).toBeNull();
  });

  it("signed out, the /account forms do nothing and count nothing", async () => {
    const ip = freshAddress();
    const res = await post(t.agent(), ip, "/account/email", { email: "x@example.test", password: "wrong" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain("/login");
  });
});

describe("two instances on one database share one limit", () => {
  let other: TestApp;
  beforeAll(async () => {
    other = await buildTestApp({ TRUST_PROXY: "loopback" }, { clock: () => clock.now }, t.database);
  });
  afterAll(() => other.close());

  it("10 wrong passwords split between the instances lock the account (for that address) on both", async () => {
    const user = await createUser(t.db);
    const ip = freshAddress();
    for (let i = 0; i < 10; i++) expect((await signInFrom(i % 2 === 0 ? t : other, ip, user.email, `wrong ${i}`)).status).toBe(401);
    expect((await signInFrom(t, ip, user.email, PASSWORD)).status).toBe(429);
    expect((await signInFrom(other, ip, user.email, PASSWORD)).status).toBe(429);
    // Nobody else is locked out, on either instance.
    expect((await signInFrom(other, freshAddress(), user.email, PASSWORD)).status).toBe(303);
  });

  it("failures from many addresses on either instance slow the account on both", async () => {
    const user = await createUser(t.db);
    tick(61_000);
    for (let i = 0; i < 4; i++) await signInFrom(i % 2 === 0 ? t : other, freshAddress(), user.email, `wrong ${i}`);
    const a = await signInFrom(t, freshAddress(), user.email, PASSWORD);
    const b = await signInFrom(other, freshAddress(), user.email, PASSWORD);
    expect(a.status).toBe(429);
    expect(b.status).toBe(429);
  });

  it("the non-GET rate limit is one budget for both instances", async () => {
    const shared = await buildTestApp({ TRUST_PROXY: "loopback", RATE_LIMIT_PER_MINUTE: "6" }, { clock: () => clock.now }, t.database);
    const second = await buildTestApp({ TRUST_PROXY: "loopback", RATE_LIMIT_PER_MINUTE: "6" }, { clock: () => clock.now }, t.database);
    try {
      const ip = freshAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await (i % 2 === 0 ? shared : second).http().post("/logout").set("x-forwarded-for", ip)).status);
      expect(statuses.slice(0, 6).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(6)).toEqual([429, 429]);
      // GETs are not counted, and another address has its own budget.
      expect((await shared.http().get("/login").set("x-forwarded-for", ip)).status).toBe(200);
      expect((await second.http().post("/logout").set("x-forwarded-for", freshAddress())).status).not.toBe(429);
      tick(60_000);
      expect((await shared.http().post("/logout").set("x-forwarded-for", ip)).status).not.toBe(429);
    } finally {
      await shared.close();
      await second.close();
    }
  });
});

describe("counters are cleaned up", () => {
  it("the retention job deletes counters whose window has ended, and no row holds an address or email in the clear", async () => {
    const ip = "198.51.100.77";
    await signInFrom(t, ip, "clear-text-check@example.test", "x");
    const rows = await t.db.throttleCounter.findMany();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.key).not.toContain(ip);
      expect(row.key).not.toContain("@");
    }
    const result = await purgeExpiredData(t.db, 90, new Date(clock.now + DEFAULT_SIGN_IN_LIMITS.windowMs + 1));
    expect(result.counters).toBeGreaterThan(0);
    expect(await t.db.throttleCounter.count({ where: { resetAt: { lte: new Date(clock.now + DEFAULT_SIGN_IN_LIMITS.windowMs) } } })).toBe(
      0,
    );
  });
});
