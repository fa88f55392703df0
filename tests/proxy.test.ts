// Behind a proxy: TRUST_PROXY decides whose X-Forwarded-For is believed, and a site whose Secure cookies cannot
// work (PUBLIC_URL is plain http) says so at start-up and on the form that then fails.
import { Writable } from "node:stream";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { buildTestApp, type TestApp, testPasswords } from "./helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/database.ts";
import { createUser, PASSWORD } from "./helpers/factories.ts";
import { csrfFrom, textOf } from "./helpers/http.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** Ten wrong passwords from `ip` as the app sees the client, then the right one from `other`. */
async function lockOutThenTry(t: TestApp, headers: { first: Record<string, string>; after: Record<string, string> }) {
  const user = await createUser(t.db);
  const attempt = async (h: Record<string, string>, password: string) => {
    const agent = t.agent();
    const page = await agent.get("/login").set(h);
    return agent
      .post("/login")
      .set(h)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email: user.email, password });
  };
  for (let i = 0; i < 10; i++) await attempt(headers.first, `wrong ${i}`);
  return attempt(headers.after, PASSWORD);
}

describe("TRUST_PROXY", () => {
  it("with one trusted hop, people behind the proxy are told apart by X-Forwarded-For", async () => {
    const t = await buildTestApp({ TRUST_PROXY: "1" }, {}, database);
    try {
      const res = await lockOutThenTry(t, { first: { "x-forwarded-for": "192.0.2.1" }, after: { "x-forwarded-for": "192.0.2.2" } });
      expect(res.status).toBe(303);
    } finally {
      await t.close();
    }
  });

  it("with one trusted hop, a client cannot dodge its limit by sending its own X-Forwarded-For", async () => {
    const t = await buildTestApp({ TRUST_PROXY: "1" }, {}, database);
    try {
      // The proxy appends the real address; only the last hop counts, whatever the client wrote before it.
      const res = await lockOutThenTry(t, {
        first: { "x-forwarded-for": "198.51.100.1, 192.0.2.9" },
        after: { "x-forwarded-for": "198.51.100.2, 192.0.2.9" },
      });
      expect(res.status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it("untrusted (the default), X-Forwarded-For is ignored", async () => {
    const t = await buildTestApp({}, {}, database);
    try {
      const res = await lockOutThenTry(t, { first: { "x-forwarded-for": "192.0.2.3" }, after: { "x-forwarded-for": "192.0.2.4" } });
      expect(res.status).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe("Secure cookies on a plain-http PUBLIC_URL", () => {
  async function start(env: Record<string, string>) {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({ NODE_ENV: "test", RATE_LIMIT_PER_MINUTE: "1000000", ...env });
    const app = await buildApp({ config, db: database.db, passwords: testPasswords, logger: { level: "warn", stream } });
    await app.ready();
    return { app, lines };
  }

  it("warns at start-up and the failed form says what to fix", async () => {
    const { app, lines } = await start({ PUBLIC_URL: "http://curbside.example", SECURE_COOKIES: "true" });
    try {
      const warning = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.msg.includes("PUBLIC_URL"));
      expect(warning?.level).toBe(40);
      expect(warning?.msg).toContain("Secure");
      // The browser drops the Secure CSRF cookie over http, so the token cannot be checked.
      const page = await request(app.server).get("/login");
      const res = await request(app.server)
        .post("/login")
        .type("form")
        .send({ _csrf: csrfFrom(page.text), email: "someone@example.test", password: "whatever" });
      expect(res.status).toBe(403);
      const text = textOf(res.text);
      expect(text).toContain("PUBLIC_URL");
      expect(text).toContain("https");
      expect(text).toContain("SECURE_COOKIES=false");
      expect(res.text).toContain('value="someone@example.test"');
    } finally {
      await app.close();
    }
  });

  it("with https, or without Secure cookies, no warning and the usual message", async () => {
    for (const env of [
      { PUBLIC_URL: "https://curbside.example", SECURE_COOKIES: "true" },
      { PUBLIC_URL: "http://localhost:3000", SECURE_COOKIES: "false" },
    ]) {
      const { app, lines } = await start(env);
      try {
        expect(lines.filter((l) => l.includes("PUBLIC_URL"))).toEqual([]);
        const res = await request(app.server).post("/login").type("form").send({ email: "someone@example.test", password: "x" });
        expect(res.status).toBe(403);
        expect(textOf(res.text)).toContain("This form had expired");
        expect(textOf(res.text)).not.toContain("SECURE_COOKIES");
      } finally {
        await app.close();
      }
    }
  });
});
