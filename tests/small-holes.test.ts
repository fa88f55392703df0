// The smaller holes of issue #20 (item 9): the CSRF secret at sign-in, a path out of public/, the CSP nonce of
// shared cached pages, and invisible format characters in titles and pseudonyms.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createThread, createUser, PASSWORD } from "./helpers/factories.ts";
import { csrfFrom, logIn, submit } from "./helpers/http.ts";

let t: TestApp;
let cached: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  cached = await buildTestApp({ PAGE_CACHE: "true" });
});
afterAll(async () => {
  await cached.close();
  await t.close();
});

const BIDI = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"];
const INVISIBLE = [...BIDI, "\u200B", "\u2060", "\uFEFF", "\u00AD", "\u2028"];

describe("the CSRF secret at sign-in", () => {
  it("is renewed, so a token from before sign-in does not work after it", async () => {
    const user = await createUser(t.db);
    const agent = t.agent();
    const before = csrfFrom((await agent.get("/login")).text);
    const signedIn = await agent.post("/login").type("form").send({ _csrf: before, email: user.email, password: PASSWORD });
    expect(signedIn.status).toBe(303);
    const stale = await agent.post("/account/pseudonym").type("form").send({ _csrf: before, pseudonym: "Stale Token Name" });
    expect(stale.status).toBe(403);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).pseudonym).toBe(user.pseudonym);
    const fresh = await submit(agent, "/account", "/account/pseudonym", { pseudonym: "Fresh Token Name" });
    expect(fresh.status).toBe(303);
  });
});

describe("a path out of public/", () => {
  it.each(["/public/%2e%2e/package.json", "/public/%2E%2E/package.json", "/public/%2e%2e/%2e%2e/etc/passwd", "/public/..%5cpackage.json"])(
    "%s is not found, as a page, without an error",
    async (path) => {
      const res = await t.http().get(path);
      expect(res.status).toBe(404);
      expect(res.text).toContain("Page not found");
      expect(res.text).not.toMatch(/"name":|FST_|stack/);
    },
  );
});

describe("the CSP of cached pages", () => {
  it("carries no nonce that signed-out readers share; a person's own page still has its own", async () => {
    const thread = await createThread(cached.db, await createUser(cached.db));
    const path = `/t/${thread.id}`;
    const policies: string[] = [];
    for (let i = 0; i < 40 && policies.length < 3; i++) {
      const res = await cached.http().get(path);
      if (res.headers["x-page-cache"]) policies.push(String(res.headers["content-security-policy"]));
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(policies.length).toBe(3);
    for (const policy of policies) {
      expect(policy).not.toContain("nonce-");
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("object-src 'none'");
    }
    const agent = cached.agent();
    await logIn(agent, await createUser(cached.db));
    const own = [await agent.get(path), await agent.get(path)].map((r) => String(r.headers["content-security-policy"]));
    expect(own[0]).toMatch(/script-src 'nonce-[0-9a-f]{32}'/);
    expect(own[0]).not.toBe(own[1]);
  });
});

describe("invisible format characters", () => {
  it("are taken out of a question's title", async () => {
    const agent = t.agent();
    await logIn(agent, await createUser(t.db));
    const title = `Is ${INVISIBLE.join("")}this reversed${BIDI[4]}txet a real question`;
    const res = await submit(agent, "/ask", "/ask", {
      title,
      body: "A body long enough for the question form.",
      categoryId: String(await categoryId(t.db)),
    });
    expect(res.status).toBe(303);
    const stored = await t.db.thread.findFirstOrThrow({ where: { title: { startsWith: "Is " } }, orderBy: { id: "desc" } });
    expect(stored.title).toBe("Is this reversedtxet a real question");
  });

  it("leave a title of nothing else empty, and the form says so", async () => {
    const agent = t.agent();
    await logIn(agent, await createUser(t.db));
    const res = await submit(agent, "/ask", "/ask", {
      title: BIDI.join("").repeat(3),
      body: "A body long enough for the question form.",
      categoryId: String(await categoryId(t.db)),
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Title is required.");
  });

  it("are taken out of a pseudonym", async () => {
    const agent = t.agent();
    const user = await createUser(t.db);
    await logIn(agent, user);
    const res = await submit(agent, "/account", "/account/pseudonym", { pseudonym: `Rose${BIDI[4]}\u200Bnomis` });
    expect(res.status).toBe(303);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).pseudonym).toBe("Rosenomis");
  });
});
