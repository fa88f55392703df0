// No cached page outlives a change to what it shows (issue #20, item 2). Every page type the page cache keeps is
// warmed, then each kind of write is made through HTTP, and every page from the caching app must soon equal the
// same page rendered fresh by a second app on the same database without a cache. The first test finds the page
// types the cache keeps from the route table, so a newly cached page must join the walk.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, PASSWORD, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit } from "./helpers/http.ts";
import { DEFAULT_SETTINGS_FORM } from "./helpers/settings.ts";
import { within } from "./helpers/wait.ts";

let cached: TestApp;
let fresh: TestApp;
let moderator: ReturnType<TestApp["agent"]>;
let admin: ReturnType<TestApp["agent"]>;
let physician: UserFixture;
let handle: string;
let asker: UserFixture;
let question: { id: number };
let article: { id: number; categoryId: number };
let answer: { id: number };
const CATEGORY = "recurrent-pregnancy-loss";

beforeAll(async () => {
  cached = await buildTestApp({ PAGE_CACHE: "true" });
  fresh = await buildTestApp({}, {}, cached.database);
  physician = await createUser(cached.db, "physician");
  handle = (await cached.db.physicianProfile.findUniqueOrThrow({ where: { userId: physician.id } })).handle;
  asker = await createUser(cached.db);
  question = await createThread(cached.db, asker, { title: "Walked question about NK cells", category: CATEGORY });
  answer = await createReply(cached.db, physician, question.id, { body: "Walked answer: the first words." });
  await cached.db.thread.update({ where: { id: question.id }, data: { answeredAt: new Date(), replyCount: 1 } });
  article = await createThread(cached.db, physician, { kind: "ARTICLE", title: "Walked article", body: "Walked article, first text." });
  await cached.db.thread.update({ where: { id: article.id }, data: { tags: ["walked"] } });
  moderator = cached.agent();
  await logIn(moderator, await createUser(cached.db, "moderator"));
  admin = cached.agent();
  await logIn(admin, await createUser(cached.db, "admin"));
}, 120_000);
afterAll(async () => {
  await fresh.close();
  await cached.close();
});

/** Every page type the cache keeps (route pattern → an address of one such page). */
const PAGES: Record<string, () => string> = {
  "GET /": () => "/",
  "GET /c/:slug": () => `/c/${CATEGORY}?sort=newest`,
  "GET /latest": () => "/latest",
  "GET /unanswered": () => "/unanswered",
  "GET /t/:id": () => `/t/${question.id}`,
  "GET /t/:id/:slug": () => `/t/${article.id}/walked-article`,
  "GET /articles": () => "/articles?tag=walked",
  "GET /articles/:id/history": () => `/articles/${article.id}/history`,
  "GET /physicians": () => "/physicians",
  "GET /physicians/:handle": () => `/physicians/${handle}`,
  "GET /feeds/answered.atom": () => "/feeds/answered.atom",
  "GET /c/:slug/feed.atom": () => `/c/${CATEGORY}/feed.atom`,
  "GET /physicians/:handle/feed.atom": () => `/physicians/${handle}/feed.atom`,
  "GET /sitemap.xml": () => "/sitemap.xml",
};

const normalised = (text: string) => text.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/'nonce-[^']*'/g, "'nonce-'");

/** Reads `path` until the caching app has stored it (a page rendered while a notice arrives is not stored). */
async function warm(path: string) {
  for (let i = 0; i < 60; i++) {
    const res = await cached.http().get(path);
    if (res.status !== 200 || res.headers["x-page-cache"] === "hit") return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${path} was never served from the cache`);
}

/** After a write: every page from the cache soon equals a fresh render (status and text). */
async function everyPageFresh(write: string) {
  for (const [route, path] of Object.entries(PAGES)) {
    let last = "";
    await within(10_000, async () => {
      const [a, b] = await Promise.all([cached.http().get(path()), fresh.http().get(path())]);
      last = `${a.status} ${a.headers["x-page-cache"]}`;
      // Only pages answered 200 are cached; an error page carries its own request's reference.
      return a.status === b.status && (a.status !== 200 || normalised(a.text) === normalised(b.text));
    }).catch(() => {
      throw new Error(`after "${write}", ${route} (${path()}) from the cache is still the page before it (${last})`);
    });
  }
}

async function walk(write: string, act: () => Promise<{ status: number }>, expected = 303) {
  for (const path of Object.values(PAGES)) await warm(path());
  const res = await act();
  expect(res.status, write).toBe(expected);
  await everyPageFresh(write);
}

/** A pending edit of the article, as a silenced physician's edit would wait. */
const pendingArticleEdit = (body: string) =>
  cached.db.postRevision.create({
    data: { threadId: article.id, editorId: physician.id, title: "Walked article", body, status: "PENDING", tags: ["walked"] },
  });

describe("the cache walk", () => {
  it("knows every page type the cache keeps", async () => {
    const keeps: string[] = [];
    const example: Record<string, string> = { ":id": String(question.id), ":slug": CATEGORY, ":handle": handle };
    for (const route of cached.app.routeTable) {
      if (route.method !== "GET" || route.url.includes("*") || route.url.includes(":file")) continue;
      const path = route.url.replace(/:[a-z]+/g, (p) => example[p] ?? p);
      await cached.http().get(path);
      const again = await cached.http().get(path);
      if (again.headers["x-page-cache"] === "hit") keeps.push(`GET ${route.url}`);
    }
    expect(keeps.length).toBeGreaterThan(5);
    for (const route of keeps) expect(Object.keys(PAGES), `${route} is cached but not walked`).toContain(route);
  }, 120_000);

  it("no cached page outlives any kind of write", async () => {
    const physicianAgent = cached.agent();
    await logIn(physicianAgent, physician);
    const askerAgent = cached.agent();
    await logIn(askerAgent, asker);

    // Edit: the physician edits their article (published at once, with a version in its history).
    await walk("edit", () =>
      submit(physicianAgent, `/articles/${article.id}/edit`, `/articles/${article.id}/edit`, {
        title: "Walked article",
        body: "Walked article, second text that names a clinic. ".repeat(5),
        categoryId: String(article.categoryId),
        tags: "walked",
        references: "",
      }),
    );

    // Redact: a pending edit's redaction erases every earlier version's text from the public history.
    const toRedact = await pendingArticleEdit("Walked article, third text.");
    await walk("redact", () =>
      submit(moderator, `/moderation/edits/${toRedact.id}/redact`, `/moderation/edits/${toRedact.id}/redact`, {
        title: "Walked article",
        body: "Walked article, text without the clinic.",
        note: "Took out a clinic's name",
      }),
    );
    const history = await cached.http().get(PAGES["GET /articles/:id/history"]?.() as string);
    expect(history.text).not.toContain("names a clinic");

    // Reject: a pending edit turned down.
    const toReject = await pendingArticleEdit("Walked article, fourth text.");
    await walk("reject", () =>
      submit(moderator, "/moderation", `/moderation/edits/${toReject.id}/reject`, { reason: "Off-topic for Curbside", note: "" }),
    );

    // Approve: a held question is published.
    const held = await createThread(cached.db, await createUser(cached.db), { status: "PENDING", category: CATEGORY });
    await walk("approve", () => submit(moderator, "/moderation", `/moderation/threads/${held.id}/approve`, {}));

    // Hide: the physician's answer.
    await walk("hide", () =>
      submit(moderator, `/t/${question.id}`, `/moderation/replies/${answer.id}/hide`, { reason: "Spam or advertising", note: "" }),
    );

    // Settings: the admins change the moderation settings.
    await walk("settings", () => submit(admin, "/admin/settings", "/admin/settings", { ...DEFAULT_SETTINGS_FORM, holdLinksAt: "3" }));

    // Profile: the physician's public profile text.
    await walk("profile", () =>
      submit(physicianAgent, "/account", "/account/profile", { bio: "I now see couples after loss.", disclosures: "" }),
    );

    // Withdraw: the asker withdraws their question.
    await walk("withdraw", () => submit(askerAgent, `/t/${question.id}`, `/t/${question.id}/withdraw`, { confirm: "withdraw" }));

    // Revoke: the physician loses the badge everywhere.
    await walk("revoke", () =>
      submit(moderator, `/moderation/users/${physician.id}`, `/moderation/users/${physician.id}/revoke`, { reason: "Licence lapsed" }),
    );

    // Delete account: the physician's name leaves every page.
    await walk(
      "delete account",
      () => submit(physicianAgent, "/account", "/account/delete", { password: PASSWORD, confirm: "delete" }),
      200,
    );
  }, 600_000);
});
