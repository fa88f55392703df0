// Long threads and categories are paginated; a reply to the deepest level attaches beside it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DEPTH, ROOTS_PER_PAGE, recountThreads, THREADS_PER_PAGE } from "../src/threads/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit } from "./helpers/http.ts";

let t: TestApp;
let author: UserFixture;

beforeAll(async () => {
  t = await buildTestApp();
  author = await createUser(t.db);
});
afterAll(() => t.close());

describe("thread pages", () => {
  it("cut by top-level reply, each with its whole sub-thread", async () => {
    const thread = await createThread(t.db, author);
    const roots = [];
    for (let i = 0; i < ROOTS_PER_PAGE + 5; i++) roots.push(await createReply(t.db, author, thread.id, { body: `Root reply ${i}` }));
    // A deep child of the first root stays on page 1, whenever it was written.
    const child = await createReply(t.db, author, thread.id, { body: "Late child of the first root", parentId: roots[0]?.id });
    await recountThreads(t.db);

    const first = (await t.http().get(`/t/${thread.id}`)).text;
    const second = (await t.http().get(`/t/${thread.id}?page=2`)).text;
    expect(first.match(/class="reply depth-0/g)).toHaveLength(ROOTS_PER_PAGE);
    expect(second.match(/class="reply depth-0/g)).toHaveLength(5);
    expect(first).toContain(`id="reply-${child.id}"`);
    expect(second).not.toContain(`id="reply-${child.id}"`);
    expect(first).toContain('aria-label="Pages of replies"');
    expect(first).toContain(`href="/t/${thread.id}/question-number`);
    expect(second).toContain("Root reply 24");
    expect(second).not.toContain("Root reply 0<");

    // A reply link keeps its page, so the form opens under the reply it answers.
    const last = roots.at(-1)?.id;
    expect(first).toContain(`href="/t/${thread.id}?replyto&#x3D;${roots[0]?.id}#reply-form"`);
    expect(second).toContain(`href="/t/${thread.id}?page&#x3D;2&amp;replyto&#x3D;${last}#reply-form"`);
    const agent = t.agent();
    await logIn(agent, await createUser(t.db));
    const replying = (await agent.get(`/t/${thread.id}?page=2&replyto=${last}`)).text;
    expect(replying).toContain(`name="parentId" value="${last}"`);
    expect(replying).toContain("Root reply 24");
  });

  it("name one address per page for search engines, whichever address was asked", async () => {
    const thread = await createThread(t.db, author, { title: "Canonical address question" });
    const roots = [];
    for (let i = 0; i < ROOTS_PER_PAGE + 1; i++) roots.push(await createReply(t.db, author, thread.id));
    await recountThreads(t.db);
    // The address as a browser reads the attribute (Handlebars writes "=" as "&#x3D;").
    const canonical = async (path: string) =>
      (await t.http().get(path)).text.match(/<link rel="canonical" href="([^"]*)">/)?.[1]?.replaceAll("&#x3D;", "=");

    const own = `${t.config.publicUrl}/t/${thread.id}/canonical-address-question`;
    expect(await canonical(`/t/${thread.id}/canonical-address-question`)).toBe(own);
    for (const path of [
      `/t/${thread.id}`,
      `/t/${thread.id}/an-older-title`,
      `/t/${thread.id}?page=1`,
      `/t/${thread.id}?replyto=${roots[0]?.id}`,
    ])
      expect(await canonical(path), path).toBe(own);
    expect(await canonical(`/t/${thread.id}?page=2&replyto=${roots.at(-1)?.id}`)).toBe(`${own}?page=2`);
    // A page that is not a thread's names none.
    expect(await canonical("/search?q=heparin")).toBeUndefined();
  });

  it("a reply to the deepest level attaches beside it, and the redirect finds its page", async () => {
    const thread = await createThread(t.db, author);
    let parent = await createReply(t.db, author, thread.id);
    for (let depth = 1; depth <= MAX_DEPTH; depth++) parent = await createReply(t.db, author, thread.id, { parentId: parent.id });
    expect(parent.depth).toBe(MAX_DEPTH);
    const agent = t.agent();
    await logIn(agent, await createUser(t.db, "physician"));
    const res = await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "Answering the deepest reply",
      parentId: String(parent.id),
    });
    expect(res.status).toBe(303);
    const created = await t.db.reply.findFirstOrThrow({ where: { body: "Answering the deepest reply" } });
    expect(created.depth).toBe(MAX_DEPTH);
    expect(created.parentId).toBe(parent.parentId);
    expect(created.rootId).toBe(parent.rootId);
  });
});

describe("category pages", () => {
  it("are paginated, newest activity first", async () => {
    const now = Date.now();
    const made = [];
    // Made oldest activity first with ids in the opposite order, so that neither id nor creation order passes.
    for (let i = 0; i < THREADS_PER_PAGE + 3; i++) {
      const thread = await createThread(t.db, author, { title: `Activity order ${String(i).padStart(2, "0")}`, category: "support" });
      await t.db.thread.update({ where: { id: thread.id }, data: { lastActivityAt: new Date(now - (i + 10) * 60_000) } });
      made.push(thread);
    }
    // The oldest thread gets a reply now: its activity is the newest.
    const bumped = made[made.length - 1] as (typeof made)[number];
    await t.db.thread.update({ where: { id: bumped.id }, data: { lastActivityAt: new Date(now) } });
    const titles = (html: string) => [...html.matchAll(/<h3><a href="[^"]*">(Activity order \d+)<\/a><\/h3>/g)].map((m) => m[1]);
    const first = (await t.http().get("/c/support")).text;
    const second = (await t.http().get("/c/support?page=2")).text;
    expect(first.match(/class="thread-card"/g)).toHaveLength(THREADS_PER_PAGE);
    expect(second.match(/class="thread-card"/g)).toHaveLength(3);
    expect(first).toContain('aria-label="Pages of this category"');
    const expected = [bumped, ...made.slice(0, -1)].map((th) => th.title);
    expect([...titles(first), ...titles(second)]).toEqual(expected);
  });
});
