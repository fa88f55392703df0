// Pseudonyms at sign-up and at a change: titles and verified physicians' names are refused, disguised or not;
// a real-looking full name is held once with a warning, and kept when its owner ticks "Keep this pseudonym".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PSEUDONYM_TITLE } from "../src/safety/pseudonym.ts";
import { PSEUDONYM_LOOKS_REAL, PSEUDONYM_PHYSICIAN } from "../src/safety/pseudonym-check.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createUser } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { signUpAndConfirm } from "./helpers/signup.ts";

let t: TestApp;
let physicianName: string;

beforeAll(async () => {
  t = await buildTestApp();
  const physician = await createUser(t.db, "physician", { fullName: "Amara Nwosu" });
  physicianName = (await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: physician.id } })).fullName;
});
afterAll(() => t.close());

let n = 0;
const signUp = (pseudonym: string, extra: Record<string, string> = {}) =>
  submit(t.agent(), "/signup", "/signup", {
    email: `pseudo${++n}@example.test`,
    password: "a long enough password",
    pseudonym,
    consent: "yes",
    ...extra,
  });

describe("at sign-up", () => {
  it.each(["Dr Rose", "Аdmin", "Ｄｒ Rose", "Curbside Staff", "Nurse Joy"])("refuses %j, keeping the text", async (p) => {
    const res = await signUp(p);
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain(PSEUDONYM_TITLE);
    expect(res.text).toContain(`pseudo${n}@example.test`);
    expect(await t.db.user.count({ where: { email: `pseudo${n}@example.test` } })).toBe(0);
  });

  // Invisible and direction characters are refused by the pseudonym's character rule before the title rule.
  it.each(["D\u200Dr Rose", "\u202EnimdA"])("refuses %j", async (p) => {
    expect((await signUp(p)).status).toBe(400);
    expect(await t.db.user.count({ where: { email: `pseudo${n}@example.test` } })).toBe(0);
  });

  it("refuses a verified physician's name, even with look-alike letters", async () => {
    const disguised = physicianName.replace(/a/g, "а");
    const res = await signUp(disguised);
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain(PSEUDONYM_PHYSICIAN);
  });

  it("warns once about a real-looking full name, then keeps it when asked", async () => {
    const first = await signUp("Sarah Thompson");
    expect(first.status).toBe(400);
    expect(textOf(first.text)).toContain(PSEUDONYM_LOOKS_REAL);
    expect(first.text).toContain('name="keepPseudonym"');
    const email = `pseudo${n}@example.test`;
    // Kept: the account is made once the mailed link is opened (#23).
    const kept = await signUpAndConfirm(t, t.agent(), {
      email,
      password: "a long enough password",
      pseudonym: "Sarah Thompson",
      keepPseudonym: "on",
    });
    expect(kept.confirm.status).toBe(303);
    expect((await t.db.user.findUniqueOrThrow({ where: { email } })).pseudonym).toBe("Sarah Thompson");
  });

  it("accepts an ordinary pseudonym with no warning", async () => {
    const res = await signUp("Hopeful Mum");
    expect(res.status).toBe(200);
    expect(textOf(res.text)).not.toContain(PSEUDONYM_LOOKS_REAL);
    expect(await t.db.pendingSignup.count({ where: { email: `pseudo${n}@example.test` } })).toBe(1);
  });
});

describe("at a pseudonym change", () => {
  it("applies the same rules, and a suspended member still cannot take a title", async () => {
    const user = await createUser(t.db, "patient");
    const agent = t.agent();
    await logIn(agent, user);
    const title = await submit(agent, "/account", "/account/pseudonym", { pseudonym: "Mоderator" });
    expect(title.status).toBe(400);
    expect(textOf(title.text)).toContain(PSEUDONYM_TITLE);
    const physician = await submit(agent, "/account", "/account/pseudonym", { pseudonym: physicianName });
    expect(textOf(physician.text)).toContain(PSEUDONYM_PHYSICIAN);
    const real = await submit(agent, "/account", "/account/pseudonym", { pseudonym: "Emily Carter" });
    expect(textOf(real.text)).toContain(PSEUDONYM_LOOKS_REAL);
    expect(real.text).toContain('name="keepPseudonym"');
    expect((await submit(agent, "/account", "/account/pseudonym", { pseudonym: "Emily Carter", keepPseudonym: "on" })).status).toBe(303);

    await t.db.user.update({ where: { id: user.id }, data: { suspendedUntil: new Date(Date.now() + 86_400_000) } });
    const suspended = await submit(agent, "/account", "/account/pseudonym", { pseudonym: "Admin Rose" });
    expect(suspended.status).not.toBe(303);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).pseudonym).toBe("Emily Carter");
  });

  it("is refused to someone signed out", async () => {
    const res = await submit(t.agent(), "/login", "/account/pseudonym", { pseudonym: "Rose" });
    expect(String(res.status === 303 ? res.headers.location : res.status)).toMatch(/^\/login|^40/);
    expect(await t.db.user.count({ where: { pseudonym: "Rose" } })).toBe(0);
  });
});
