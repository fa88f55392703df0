// Sessions kept in memory for page views (src/auth/session-cache.ts): a signed-in page view does not read the
// session once it is kept; a form post always does; and whatever the database says about the person (signed
// out, a new role, a new notification) holds for page views on every instance within a second.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildCountingApp, buildTestApp, type TestApp } from "./helpers/app.ts";
import { createThread, createUser } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { within } from "./helpers/wait.ts";

let base: TestApp;
/** Keeps sessions, and counts its statements. */
let a: TestApp;
/** A second instance on the same database, also keeping sessions. */
let b: TestApp;
const statements: string[] = [];
const sessionReads = () => statements.filter((sql) => sql.includes('FROM "Session" s')).length;

beforeAll(async () => {
  base = await buildTestApp();
  a = await buildCountingApp(base, { PAGE_CACHE: "true" }, statements);
  b = await buildTestApp({ PAGE_CACHE: "true" }, {}, base.database);
});
afterAll(async () => {
  await b.close();
  await a.close();
  await base.close();
});
beforeEach(() => {
  statements.length = 0;
});

async function signedIn(persona: "patient" | "moderator" = "patient") {
  const user = await createUser(base.db, persona);
  const agent = a.agent();
  const res = await logIn(agent, user);
  const cookie = (res.headers["set-cookie"] as unknown as string[]).map((c) => c.split(";")[0]).join("; ");
  return { user, agent, cookie };
}

/** The header's account link: the pseudonym of whoever the page was rendered for, or null when signed out. */
const accountName = (html: string) =>
  html.match(/<header class="site-header">[\s\S]*?<\/header>/)?.[0].match(/<span class="menu-name">([^<]*)<\/span>/)?.[1] ?? null;

describe("a page view", () => {
  it("reads the session once, then from memory; a form post always reads it from the database", async () => {
    const me = await signedIn();
    await within(1000, async () => {
      await a.http().get("/privacy").set("cookie", me.cookie);
      statements.length = 0;
      const page = await a.http().get("/privacy").set("cookie", me.cookie);
      return accountName(page.text) === me.user.pseudonym && sessionReads() === 0;
    });
    const thread = await createThread(base.db, await createUser(base.db));
    statements.length = 0;
    const follow = await submit(me.agent, `/t/${thread.id}`, `/t/${thread.id}/follow`, {});
    expect(follow.status).toBe(303);
    // The page the form was read from was a page view; the post itself read the session.
    expect(sessionReads()).toBeGreaterThanOrEqual(1);
    statements.length = 0;
    await me.agent.post(`/t/${thread.id}/follow`).type("form").send({ _csrf: "wrong" });
    expect(sessionReads()).toBe(1);
  });

  it("reads the session from the database in the seconds after the same browser sent a form", async () => {
    const me = await signedIn();
    const thread = await createThread(base.db, await createUser(base.db));
    await me.agent.get("/privacy");
    await submit(me.agent, `/t/${thread.id}`, `/t/${thread.id}/follow`, {});
    statements.length = 0;
    const page = await me.agent.get("/privacy");
    expect(accountName(page.text)).toBe(me.user.pseudonym);
    expect(sessionReads()).toBe(1);
  });

  it("is signed out on every instance within a second of signing out, or of the sessions being ended", async () => {
    for (const end of ["sign out", "end every session"] as const) {
      const me = await signedIn();
      // Both instances keep the session.
      for (const app of [a, b]) {
        await within(1000, async () => accountName((await app.http().get("/privacy").set("cookie", me.cookie)).text) !== null);
      }
      if (end === "sign out") {
        expect((await submit(me.agent, "/account", "/logout", {})).status).toBe(303);
      } else {
        await base.db.session.deleteMany({ where: { userId: me.user.id } });
      }
      for (const app of [a, b]) {
        await within(1000, async () => accountName((await app.http().get("/privacy").set("cookie", me.cookie)).text) === null);
      }
      // A private page is not served to the old cookie.
      expect((await b.http().get("/account").set("cookie", me.cookie)).status).not.toBe(200);
    }
  });

  it("shows a new role, a new name and a new notification on another instance within a second", async () => {
    const me = await signedIn();
    const seen = async () => (await b.http().get("/privacy").set("cookie", me.cookie)).text;
    await within(1000, async () => accountName(await seen()) === me.user.pseudonym);
    expect((await b.http().get("/moderation").set("cookie", me.cookie)).status).toBe(403);

    await base.db.user.update({ where: { id: me.user.id }, data: { role: "MODERATOR" } });
    await within(1000, async () => (await b.http().get("/moderation").set("cookie", me.cookie)).status === 200);

    await base.db.user.update({ where: { id: me.user.id }, data: { pseudonym: "Renamed reader" } });
    await within(1000, async () => accountName(await seen()) === "Renamed reader");

    expect(textOf(await seen())).not.toContain("1 unread");
    await base.db.notification.create({
      data: { userId: me.user.id, kind: "REPLY_TO_QUESTION", message: "Someone replied to your question", url: "/" },
    });
    await within(1000, async () => textOf(await seen()).includes("Notifications 1 unread"));
  });

  it("reads the session from the database while changes cannot be heard", async () => {
    const me = await signedIn();
    await within(1000, async () => {
      await a.http().get("/privacy").set("cookie", me.cookie);
      statements.length = 0;
      await a.http().get("/privacy").set("cookie", me.cookie);
      return sessionReads() === 0;
    });
    await base.db.$queryRawUnsafe(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN curbside_pages'`,
    );
    await within(1000, async () => {
      statements.length = 0;
      await a.http().get("/privacy").set("cookie", me.cookie);
      return sessionReads() === 1;
    });
    statements.length = 0;
    const page = await a.http().get("/privacy").set("cookie", me.cookie);
    expect(accountName(page.text)).toBe(me.user.pseudonym);
    expect(sessionReads()).toBe(1);
    // It listens again within a few seconds, and keeps sessions again.
    await within(5000, async () => {
      await a.http().get("/privacy").set("cookie", me.cookie);
      statements.length = 0;
      await a.http().get("/privacy").set("cookie", me.cookie);
      return sessionReads() === 0;
    });
  });

  it("with a made-up, malformed or ended session cookie is signed out, and nothing is kept for it", async () => {
    const me = await signedIn();
    await within(1000, async () => accountName((await a.http().get("/privacy").set("cookie", me.cookie)).text) !== null);
    await base.db.session.deleteMany({ where: { userId: me.user.id } });
    await within(1000, async () => accountName((await a.http().get("/privacy").set("cookie", me.cookie)).text) === null);
    for (const cookie of [
      "curbside_session=made-up-session",
      "curbside_session=%00%ff",
      `curbside_session=${"a".repeat(5000)}`,
      me.cookie,
    ]) {
      statements.length = 0;
      for (let i = 0; i < 2; i++) {
        const page = await a.http().get("/privacy").set("cookie", cookie);
        expect(page.status).toBe(200);
        expect(accountName(page.text)).toBeNull();
      }
      // Each view asks the database again: nothing was kept for a session it does not have.
      expect(sessionReads(), cookie.slice(0, 40)).toBe(2);
    }
  });
});
