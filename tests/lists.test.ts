// The lists readers browse: "Latest" and "Unanswered" from home, a category's three orders, pages on each, and
// how the page cache stores them (canonical addresses only, dropped when a thread changes).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The first request of a file builds the app's views; on a loaded machine that alone took over 20 s.
vi.setConfig({ testTimeout: 120_000 });

import { THREADS_PER_PAGE } from "../src/threads/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit } from "./helpers/http.ts";

let t: TestApp;
let author: UserFixture;

beforeAll(async () => {
  t = await buildTestApp({ PAGE_CACHE: "true" });
  author = await createUser(t.db);
});
afterAll(() => t.close());

const titles = (html: string, prefix: string) =>
  [...html.matchAll(/<h3><a href="[^"]*">([^<]*)<\/a><\/h3>/g)].map((m) => m[1] as string).filter((x) => x.startsWith(prefix));

/** Threads titled PREFIX 00…, made oldest first; created and activity times set apart a minute each. */
async function makeThreads(prefix: string, n: number, category: string) {
  const now = Date.now();
  const made = [];
  for (let i = 0; i < n; i++) {
    const thread = await createThread(t.db, author, { title: `${prefix} ${String(i).padStart(2, "0")} question`, category });
    const at = new Date(now - (n - i) * 60_000);
    await t.db.thread.update({ where: { id: thread.id }, data: { createdAt: at, lastActivityAt: at } });
    made.push(thread);
  }
  return made;
}

describe("home links to the lists", () => {
  it("links to Latest and Unanswered", async () => {
    const html = (await t.http().get("/")).text;
    expect(html).toContain('href="/latest"');
    expect(html).toContain('href="/unanswered"');
  });
});

describe("category orders", () => {
  it("sort by latest activity, newest and unanswered, each paginated, keeping the order in page links", async () => {
    const made = await makeThreads("Sorting", THREADS_PER_PAGE + 2, "reproductive-immunology");
    // The oldest gets new activity; the newest gets an answer.
    const oldest = made[0] as (typeof made)[number];
    const newest = made.at(-1) as (typeof made)[number];
    await t.db.thread.update({ where: { id: oldest.id }, data: { lastActivityAt: new Date(Date.now() + 60_000) } });
    await t.db.thread.update({ where: { id: newest.id }, data: { answeredAt: new Date() } });
    const names = made.map((th) => th.title);
    const get = async (q: string) => (await t.http().get(`/c/reproductive-immunology${q}`)).text;

    const activity = [...titles(await get(""), "Sorting"), ...titles(await get("?page=2"), "Sorting")];
    expect(activity).toEqual([oldest.title, ...names.slice(1).reverse()]);

    const newestFirst = await get("?sort=newest");
    expect(newestFirst).toContain('href="/c/reproductive-immunology?sort&#x3D;newest&amp;page&#x3D;2"');
    expect(newestFirst).toMatch(/<a href="\/c\/reproductive-immunology\?sort&#x3D;newest" aria-current="true">Newest<\/a>/);
    expect([...titles(newestFirst, "Sorting"), ...titles(await get("?sort=newest&page=2"), "Sorting")]).toEqual([...names].reverse());

    const unanswered = [...titles(await get("?sort=unanswered"), "Sorting"), ...titles(await get("?sort=unanswered&page=2"), "Sorting")];
    expect(unanswered).toEqual(names.slice(0, -1).reverse());
  });

  it("a bad order shows the default order; a bad page is a clear 400, never a 500", async () => {
    const plain = await t.http().get("/c/support");
    for (const q of ["?sort=oldest", "?sort=", "?sort[]=x", "?sort=newest%00", "?sort=unanswered&sort=newest"]) {
      const res = await t.http().get(`/c/support${q}`);
      expect(res.status, q).toBe(200);
      expect(res.text, q).toContain('aria-label="Order of this category"');
    }
    for (const path of ["/c/support?page=abc", "/c/support?sort=newest&page=-1", "/latest?page=1e99", "/unanswered?page=0"]) {
      const res = await t.http().get(path);
      expect(res.status, path).toBe(400);
      expect(res.text, path).toMatch(/Part of that address isn\S*t valid/);
    }
    expect(plain.text).toMatch(/aria-current="true">Latest activity</);
    expect((await t.http().get("/c/support?sort=oldest")).text).toMatch(/aria-current="true">Latest activity</);
  });
});

describe("Latest and Unanswered", () => {
  it("list public threads only: nothing pending, hidden, rejected, and no withdrawn question among the unanswered", async () => {
    const shown = await createThread(t.db, author, { title: "Publicly unanswered about ferritin" });
    const hidden = [
      await createThread(t.db, author, { title: "Pending question about ferritin", status: "PENDING" }),
      await createThread(t.db, author, { title: "Hidden question about ferritin", status: "HIDDEN" }),
      await createThread(t.db, author, { title: "Rejected question about ferritin", status: "REJECTED" }),
    ];
    const withdrawn = await createThread(t.db, author, { title: "Withdrawn question about ferritin" });
    await t.db.thread.update({ where: { id: withdrawn.id }, data: { withdrawnAt: new Date() } });
    const latest = (await t.http().get("/latest")).text;
    const unanswered = (await t.http().get("/unanswered")).text;
    expect(latest).toContain(shown.title);
    expect(unanswered).toContain(shown.title);
    expect(unanswered).not.toContain(withdrawn.title);
    for (const th of hidden) {
      expect(latest).not.toContain(th.title);
      expect(unanswered).not.toContain(th.title);
    }
  });

  it("paginate, and a page past the end says so", async () => {
    await makeThreads("Paging", THREADS_PER_PAGE + 1, "support");
    const first = (await t.http().get("/latest")).text;
    expect(first.match(/class="thread-card"/g)).toHaveLength(THREADS_PER_PAGE);
    expect(first).toContain('href="/latest?page&#x3D;2"');
    const second = (await t.http().get("/latest?page=2")).text;
    expect(second).toContain("thread-card");
    const past = await t.http().get("/unanswered?page=999");
    expect(past.status).toBe(200);
    expect(past.text).toContain("There is nothing on this page");
    expect((await t.http().get("/latest?page=zero")).status).toBe(400);
  });
});

describe("the page cache and list addresses", () => {
  async function stored(path: string) {
    await t.http().get(path);
    for (let i = 0; i < 20; i++) {
      if ((await t.http().get(path)).headers["x-page-cache"] === "hit") return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  it("stores each order and page under its own address, and never an address with junk in it", async () => {
    for (const path of [
      "/latest",
      "/unanswered?page=2",
      "/c/support?sort=newest",
      "/c/support?sort=unanswered&page=2",
      "/c/support?page=2",
    ])
      expect(await stored(path), path).toBe(true);
    for (const path of [
      "/latest?utm=1",
      "/latest?page=1",
      "/latest?page=02",
      "/c/support?sort=activity",
      "/c/support?sort=junk",
      "/c/support?page=2&sort=newest",
      "/t/1?replyto=1",
    ]) {
      await t.http().get(path);
      expect((await t.http().get(path)).headers["x-page-cache"], path).not.toBe("hit");
    }
  });

  it("an approved question refreshes Unanswered and its category's orders", async () => {
    await stored("/unanswered");
    await stored("/c/support?sort=newest");
    const pending = await createThread(t.db, author, {
      title: "Freshly approved question on the lists",
      status: "PENDING",
      category: "support",
    });
    const mod = t.agent();
    await logIn(mod, await createUser(t.db, "moderator"));
    expect((await submit(mod, "/moderation", `/moderation/threads/${pending.id}/approve`, {})).status).toBe(303);
    for (const path of ["/unanswered", "/c/support?sort=newest"]) {
      let html = "";
      for (let i = 0; i < 40 && !html.includes(pending.title); i++) {
        html = (await t.http().get(path)).text;
        if (!html.includes(pending.title)) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(html, path).toContain(pending.title);
    }
  });
});
