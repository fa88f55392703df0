// The anonymous page cache: hits with ETag and 304, precise invalidation within a second through PostgreSQL
// LISTEN/NOTIFY (across two app instances too), and nothing personal ever cached.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit } from "./helpers/http.ts";
import { changesHeard, within } from "./helpers/wait.ts";

let a: TestApp;
let b: TestApp;
let patient: UserFixture;
let modAgent: ReturnType<TestApp["agent"]>;

beforeAll(async () => {
  a = await buildTestApp({ PAGE_CACHE: "true" });
  // A second instance on the same database, as behind a load balancer.
  b = await buildTestApp({ PAGE_CACHE: "true" }, {}, a.database);
  patient = await createUser(a.db, "patient");
  modAgent = a.agent();
  await logIn(modAgent, await createUser(a.db, "moderator"));
});
afterAll(async () => {
  await b.close();
  await a.close();
});

/** Asks for a page once every change so far has been heard (a fixture's notice may be on its way): stored, a miss. */
async function missThenStored(path: string, acceptEncoding?: string) {
  await changesHeard(a);
  const request = a.http().get(path);
  const res = await (acceptEncoding ? request.set("accept-encoding", acceptEncoding) : request);
  expect(res.headers["x-page-cache"]).toBe("miss");
  return res;
}

describe("serving from the cache", () => {
  it("a signed-out reader gets a cached page with an ETag, and 304 when they have it", async () => {
    const thread = await createThread(a.db, patient);
    // The new thread's own change notice may still be on its way: a page stored before it arrives is (rightly)
    // dropped when it does, so the first page is asked for once it has been heard.
    const first = await missThenStored(`/t/${thread.id}`);
    const second = await a.http().get(`/t/${thread.id}`);
    expect(second.headers["x-page-cache"]).toBe("hit");
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers["content-security-policy"]).toBe(first.headers["content-security-policy"]);
    expect(second.headers["cache-control"]).toBe("no-cache");
    const revalidated = await a.http().get(`/t/${thread.id}`).set("if-none-match", String(first.headers.etag));
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe("");
  });

  it("browsers get the page gzipped (stored once), clients that do not accept gzip get it as it is", async () => {
    const thread = await createThread(a.db, patient, { title: "Gzip test thread" });
    const miss = await missThenStored(`/t/${thread.id}`, "gzip, deflate, br");
    expect(miss.headers["content-encoding"]).toBe("gzip");
    expect(miss.headers.vary).toBe("accept-encoding");
    const zipped = await a.http().get(`/t/${thread.id}`).set("accept-encoding", "gzip, deflate, br");
    expect(zipped.headers["x-page-cache"]).toBe("hit");
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toBe("accept-encoding");
    expect(Number(zipped.headers["content-length"])).toBeLessThan(zipped.text.length / 2);
    expect(zipped.text).toContain("Gzip test thread");
    for (const header of ["identity", "gzip;q=0", "br"]) {
      const plain = await a.http().get(`/t/${thread.id}`).set("accept-encoding", header);
      expect(plain.headers["x-page-cache"]).toBe("hit");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers.vary).toBe("accept-encoding");
      expect(Number(plain.headers["content-length"])).toBe(Buffer.byteLength(plain.text));
      // The same page, and the same (weak) ETag: one is the other's encoding.
      expect(plain.text).toBe(zipped.text);
      expect(plain.headers.etag).toBe(zipped.headers.etag);
    }
    const revalidated = await a
      .http()
      .get(`/t/${thread.id}`)
      .set("accept-encoding", "gzip")
      .set("if-none-match", String(zipped.headers.etag));
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers["content-encoding"]).toBeUndefined();
  });

  it("a hit replays the stored response's headers, made once, with a policy that names no nonce", async () => {
    const thread = await createThread(a.db, patient, { title: "Headers test thread" });
    const miss = await missThenStored(`/t/${thread.id}`);
    const hit = await a.http().get(`/t/${thread.id}`);
    expect(hit.headers["x-page-cache"]).toBe("hit");
    const comparable = (headers: Record<string, unknown>) => {
      const { date: _date, connection: _c, "keep-alive": _k, "x-page-cache": _x, ...rest } = headers;
      return rest;
    };
    expect(comparable(hit.headers)).toEqual(comparable(miss.headers));
    for (const res of [miss, hit]) {
      expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(res.headers["content-security-policy"]).not.toContain("nonce-");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    }
    // The page itself has no inline script that a nonce would have to let run (JSON-LD is data, never run).
    expect(hit.text).toContain("<script src=");
    expect(hit.text).not.toMatch(/<script(?![^>]*\s(src=|type="application\/ld\+json"))[^>]*>/);
    const head = await a.http().head(`/t/${thread.id}`).set("accept-encoding", "identity");
    const plain = await a.http().get(`/t/${thread.id}`).set("accept-encoding", "identity");
    expect(head.status).toBe(200);
    expect(head.headers["x-page-cache"]).toBe("hit");
    expect(head.headers["content-length"]).toBe(String(Buffer.byteLength(plain.text)));
    // Another site's or our CSRF cookie is not a session: still a hit.
    const withCookie = await a.http().get(`/t/${thread.id}`).set("cookie", "curbside_csrf=abc; theme=dark");
    expect(withCookie.headers["x-page-cache"]).toBe("hit");
  });

  it("a stored page is never served to a request carrying a session cookie, valid or not", async () => {
    const thread = await createThread(a.db, patient, { title: "Session cookie test thread" });
    await missThenStored(`/t/${thread.id}`);
    const agent = a.agent();
    await logIn(agent, patient);
    const signedIn = await agent.get(`/t/${thread.id}`);
    expect(signedIn.headers["x-page-cache"]).toBeUndefined();
    expect(signedIn.headers["cache-control"]).toBe("no-store");
    expect(signedIn.text).toContain(patient.pseudonym);
    const cookieName = a.app.lucia.sessionCookieName;
    const ended = await a.http().get(`/t/${thread.id}`).set("cookie", `${cookieName}=not-a-session`);
    expect(ended.headers["x-page-cache"]).toBeUndefined();
    // The session plugin saw it, and cleared the cookie.
    expect(String(ended.headers["set-cookie"])).toContain(`${cookieName}=;`);
  });

  it("never caches signed-in pages, flash notices, pages that set a cookie, or errors", async () => {
    const thread = await createThread(a.db, patient);
    const agent = a.agent();
    await logIn(agent, patient);
    for (let i = 0; i < 2; i++) {
      const res = await agent.get(`/t/${thread.id}`);
      expect(res.headers["x-page-cache"]).toBeUndefined();
      expect(res.headers["cache-control"]).toBe("no-store");
      expect(res.headers["content-encoding"]).toBeUndefined();
    }
    await a.http().get("/?notice=x");
    expect((await a.http().get("/?notice=x")).headers["x-page-cache"]).toBeUndefined();
    await a.http().get("/login");
    expect((await a.http().get("/login")).headers["x-page-cache"]).toBeUndefined();
    await a.http().get("/t/999999");
    expect((await a.http().get("/t/999999")).headers["x-page-cache"]).toBeUndefined();
  });
});

describe("invalidation", () => {
  it("an approved reply refreshes its thread, its category and the home page within a second; other threads stay cached", async () => {
    const thread = await createThread(a.db, patient, { title: "Cache test thread one" });
    const other = await createThread(a.db, patient, { title: "Cache test thread two" });
    const physician = await createUser(a.db, "unverifiedPhysician");
    const reply = await createReply(a.db, physician, thread.id, { body: "An answer that waits for approval.", status: "PENDING" });
    await changesHeard(a);
    for (const path of [`/t/${thread.id}`, `/t/${other.id}`, "/c/recurrent-pregnancy-loss", "/"]) {
      await a.http().get(path);
      expect((await a.http().get(path)).headers["x-page-cache"]).toBe("hit");
    }
    expect((await a.http().get(`/t/${thread.id}`)).text).not.toContain("An answer that waits for approval.");

    expect((await submit(modAgent, "/moderation", `/moderation/replies/${reply.id}/approve`, {})).status).toBe(303);
    const took = await within(1000, async () =>
      (await a.http().get(`/t/${thread.id}`)).text.includes("An answer that waits for approval."),
    );
    expect(took).toBeLessThan(1000);
    // The category and home pages were dropped too (their reply counts and activity changed).
    expect((await a.http().get("/c/recurrent-pregnancy-loss")).headers["x-page-cache"]).toBe("miss");
    expect((await a.http().get("/")).headers["x-page-cache"]).toBe("miss");
    expect((await a.http().get(`/t/${other.id}`)).headers["x-page-cache"]).toBe("hit");
  });

  it("a write through one instance refreshes the page another instance serves, within a second", async () => {
    const thread = await createThread(a.db, patient, { title: "Two instance thread" });
    const reply = await createReply(a.db, patient, thread.id, { body: "Held follow-up for the second instance.", status: "PENDING" });
    await changesHeard(b);
    await b.http().get(`/t/${thread.id}`);
    expect((await b.http().get(`/t/${thread.id}`)).headers["x-page-cache"]).toBe("hit");
    await submit(modAgent, "/moderation", `/moderation/replies/${reply.id}/approve`, {});
    const took = await within(1000, async () =>
      (await b.http().get(`/t/${thread.id}`)).text.includes("Held follow-up for the second instance."),
    );
    expect(took).toBeLessThan(1000);
  });

  it("serves and stores nothing while it cannot hear changes, and starts again once it listens again", async () => {
    const thread = await createThread(a.db, patient, { title: "Listener test thread" });
    const path = `/t/${thread.id}`;
    await within(1000, async () => (await a.http().get(path)).headers["x-page-cache"] === "hit");
    // The listening connections end (a restarted database, a network cut): a change made now would go unheard.
    await a.db.$queryRawUnsafe(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN curbside_pages'`,
    );
    await within(1000, async () => (await a.http().get(path)).headers["x-page-cache"] === undefined);
    expect((await a.http().get(path)).headers["x-page-cache"]).toBeUndefined();
    expect(a.app.pageCache?.size).toBe(0);
    // It reconnects within a few seconds and caches again.
    await within(5000, async () => (await a.http().get(path)).headers["x-page-cache"] === "hit");
  });

  it("a physician's badge change (verification, revocation) drops every cached page", async () => {
    const thread = await createThread(a.db, patient);
    // The applicant exists before anything is cached: only the verification and the revocation may empty it.
    const applicant = await createUser(a.db, "unverifiedPhysician");
    const profile = await a.db.physicianProfile.findUniqueOrThrow({ where: { userId: applicant.id } });
    /** Asks for the thread page until it is served from the cache (earlier notices may still be arriving). */
    const cached = () => within(2000, async () => (await a.http().get(`/t/${thread.id}`)).headers["x-page-cache"] === "hit");

    await cached();
    const verify = await submit(modAgent, "/moderation", `/moderation/applications/${profile.id}/approve`, {
      registryName: "Testland Medical Register",
      registryReference: "TMR-BADGE",
      checkedOn: new Date().toISOString().slice(0, 10),
      reverifyBy: "2030-01-01",
    });
    expect(verify.status).toBe(303);
    expect((await a.db.physicianProfile.findUniqueOrThrow({ where: { id: profile.id } })).status).toBe("VERIFIED");
    await within(1000, async () => a.app.pageCache?.size === 0);

    await cached();
    const revoke = await submit(modAgent, `/moderation/users/${applicant.id}`, `/moderation/users/${applicant.id}/revoke`, {
      reason: "Licence lapsed",
    });
    expect(revoke.status).toBe(303);
    expect((await a.db.physicianProfile.findUniqueOrThrow({ where: { id: profile.id } })).status).toBe("REVOKED");
    await within(1000, async () => a.app.pageCache?.size === 0);
  });
});

describe("shutting down", () => {
  it("a page the cache holds gets the 503 page while the instance drains", async () => {
    const thread = await createThread(a.db, patient, { title: "Draining test thread" });
    await changesHeard(b);
    expect((await b.http().get(`/t/${thread.id}`)).headers["x-page-cache"]).toBe("miss");
    expect((await b.http().get(`/t/${thread.id}`)).headers["x-page-cache"]).toBe("hit");
    b.app.startDraining();
    const draining = await b.http().get(`/t/${thread.id}`);
    expect(draining.status).toBe(503);
    expect(draining.headers["x-page-cache"]).toBeUndefined();
  });
});
