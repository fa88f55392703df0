// Signed-in readers' thread pages built on the page everyone sees (src/threads/reply-list.ts): each reader's page
// is the same HTML as the page rendered for them alone, whoever they are; a reader with something of their own
// awaiting review here, and a moderator, get their page rendered for them; a reader's own change shows at once,
// anyone's within a second; and a page costs one small statement once the shared page and the session are kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCountingApp, buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { within } from "./helpers/wait.ts";

let base: TestApp;
/** Builds signed-in pages on the shared page, and counts its statements. */
let fast: TestApp;
/** The same database without the cache: every page rendered for its reader alone. */
let plain: TestApp;
const statements: string[] = [];

beforeAll(async () => {
  base = await buildTestApp();
  fast = await buildCountingApp(base, { PAGE_CACHE: "true" }, statements);
  plain = await buildTestApp({ PAGE_CACHE: "false" }, {}, base.database);
});
afterAll(async () => {
  await plain.close();
  await fast.close();
  await base.close();
});

interface Reader {
  user: UserFixture;
  agent: ReturnType<TestApp["agent"]>;
  /** The session cookie, to read the same pages through the other app. */
  cookie: string;
}

async function reader(user: UserFixture): Promise<Reader> {
  const agent = fast.agent();
  const res = await logIn(agent, user);
  const cookie = (res.headers["set-cookie"] as unknown as string[]).map((c) => c.split(";")[0]).join("; ");
  return { user, agent, cookie };
}

/** A page with what is drawn per response (CSRF tokens, the script nonce, a form's submission key) blanked. */
const normalised = (html: string) =>
  html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/name="_submission" value="[^"]*"/g, 'name="_submission" value=""');

/** The page for `r`, through the app that builds on the shared page and through the one that does not. */
async function bothWays(r: Reader, path: string) {
  const built = await fast.http().get(path).set("cookie", r.cookie);
  const alone = await plain.http().get(path).set("cookie", r.cookie);
  expect(built.status).toBe(200);
  expect(alone.status).toBe(200);
  return { built: built.text, alone: alone.text };
}

/**
 * A question with two physicians' answers (one accepted, one agreed with and marked helpful), a patient's
 * follow-up beneath the first, and a patient's reply of their own.
 */
async function discussion() {
  const asker = await createUser(base.db, "patient");
  const first = await createUser(base.db, "physician", { fullName: "Fragment First" });
  const second = await createUser(base.db, "physician", { fullName: "Fragment Second" });
  const colleague = await createUser(base.db, "physician", { fullName: "Fragment Colleague" });
  const marker = await createUser(base.db, "patient");
  const replier = await createUser(base.db, "patient");
  const thread = await createThread(base.db, asker, { title: "Fragments of a discussion" });
  const a1 = await createReply(base.db, first, thread.id, { body: "The first answer, agreed with." });
  const a2 = await createReply(base.db, second, thread.id, { body: "The second answer, accepted." });
  await createReply(base.db, asker, thread.id, { body: "A follow-up to the first.", parentId: a1.id });
  await createReply(base.db, replier, thread.id, { body: "A patient's reply of their own." });
  await base.db.agreement.create({ data: { replyId: a1.id, userId: colleague.id } });
  await base.db.helpfulMark.create({ data: { replyId: a1.id, userId: marker.id } });
  await base.db.reply.update({ where: { id: a1.id }, data: { agreeCount: 1, helpfulCount: 1 } });
  await base.db.reply.update({ where: { id: a2.id }, data: { acceptedAt: new Date() } });
  return { asker, first, second, colleague, marker, replier, thread, a1, a2 };
}

describe("a signed-in reader's page built on the shared page", () => {
  it("is, for every kind of reader, the page rendered for them alone", async () => {
    const d = await discussion();
    const suspended = await createUser(base.db, "patient");
    await base.db.user.update({ where: { id: suspended.id }, data: { suspendedUntil: new Date(Date.now() + 86_400_000) } });
    const path = `/t/${d.thread.id}`;
    const readers = await Promise.all(
      [d.asker, d.first, d.second, d.colleague, d.marker, d.replier, suspended, await createUser(base.db, "patient")].map(reader),
    );
    // Several readers on the same kept page, in turn, so that slots rendered for one are reused for the next.
    for (const round of [1, 2]) {
      for (const r of readers) {
        const { built, alone } = await bothWays(r, path);
        expect(normalised(built), `${r.user.persona} ${r.user.pseudonym}, round ${round}`).toBe(normalised(alone));
      }
    }
    expect(fast.app.fragmentCache?.get(`thread-page:${d.thread.id}:1`)).toBeDefined();

    // What differs between them is there: the asker's mark, the colleague's agreement, the marker's "helpful",
    // the first physician's own answer (Edit, no agree), the replier's own reply.
    const page = async (r: Reader) => textOf((await fast.http().get(path).set("cookie", r.cookie)).text);
    const [asker, first, , colleague, marker, replier] = readers as Reader[];
    expect(await page(asker as Reader)).toContain('Unmark "answered my question"');
    expect(await page(colleague as Reader)).toContain("You agree · withdraw");
    expect(await page(marker as Reader)).toContain("You found this helpful · undo");
    expect(await page(first as Reader)).toContain("Edit your reply");
    expect(await page(replier as Reader)).toContain("Edit your reply");
    expect(await page(colleague as Reader)).not.toContain("Edit your reply");
    expect(await page(marker as Reader)).not.toContain("Unmark");
  });

  it("is not used for a reader with a post of their own awaiting review here, nor for a moderator", async () => {
    const d = await discussion();
    const waiting = await createUser(base.db, "patient");
    await createReply(base.db, waiting, d.thread.id, { body: "My follow-up that waits for a moderator.", status: "PENDING" });
    const hidden = await createReply(base.db, d.replier, d.thread.id, { body: "A reply a moderator hid.", status: "HIDDEN" });
    const path = `/t/${d.thread.id}`;
    const own = await reader(waiting);
    const other = await reader(await createUser(base.db, "patient"));
    const moderator = await reader(await createUser(base.db, "moderator"));
    for (const r of [other, own, moderator, other]) {
      const { built, alone } = await bothWays(r, path);
      expect(normalised(built)).toBe(normalised(alone));
    }
    const ownPage = textOf((await fast.http().get(path).set("cookie", own.cookie)).text);
    expect(ownPage).toContain("My follow-up that waits for a moderator.");
    expect(ownPage).toContain("Awaiting moderation.");
    const otherPage = textOf((await fast.http().get(path).set("cookie", other.cookie)).text);
    expect(otherPage).not.toContain("My follow-up that waits for a moderator.");
    expect(otherPage).not.toContain("A reply a moderator hid.");
    const moderatorPage = (await fast.http().get(path).set("cookie", moderator.cookie)).text;
    expect(moderatorPage).toContain("A reply a moderator hid.");
    expect(moderatorPage).toContain(`id="reply-${hidden.id}"`);
  });

  it("shows a reader's own change at once, and anyone's within a second", async () => {
    const d = await discussion();
    const path = `/t/${d.thread.id}`;
    const patient = await reader(await createUser(base.db, "patient"));
    const onlooker = await reader(await createUser(base.db, "patient"));
    await fast.http().get(path).set("cookie", onlooker.cookie); // the shared page is kept now

    const res = await submit(patient.agent, path, `/replies/${d.a1.id}/helpful`, { on: "yes" });
    expect(res.status).toBe(303);
    expect(String(res.headers["set-cookie"])).toMatch(/curbside_fresh=1; Max-Age=5; Path=\/; HttpOnly; SameSite=Lax/);
    const after = textOf((await patient.agent.get(path)).text);
    expect(after).toContain("You found this helpful · undo");
    expect(after).toContain("2 people found this helpful");

    await within(1000, async () => textOf((await onlooker.agent.get(path)).text).includes("2 people found this helpful"));
    await createReply(base.db, d.second, d.thread.id, { body: "A third answer, published while the page was kept." });
    await within(1000, async () =>
      textOf((await onlooker.agent.get(path)).text).includes("A third answer, published while the page was kept."),
    );
  });

  it("costs one statement of the reader's own once the shared page and their session are kept, however long the thread", async () => {
    const d = await discussion();
    for (let i = 0; i < 60; i++) await createReply(base.db, i % 2 ? d.first : d.marker, d.thread.id, { body: `Reply ${i}` });
    const r = await reader(await createUser(base.db, "patient"));
    for (const path of [`/t/${d.thread.id}`, `/t/${d.thread.id}?page=3`]) {
      const first = await within(1000, async () => {
        await fast.http().get(path).set("cookie", r.cookie);
        statements.length = 0;
        await fast.http().get(path).set("cookie", r.cookie);
        return statements.length === 1;
      });
      expect(first).toBeLessThan(1000);
      // The reader's own state; not the page's statement, which a page rendered for them makes, nor the session.
      expect(statements.filter((sql) => sql.includes("WITH thread AS"))).toEqual([]);
      expect(statements.filter((sql) => sql.includes('FROM "Session" s'))).toEqual([]);
      expect(statements.filter((sql) => sql.includes('"HelpfulMark" h JOIN'))).toHaveLength(1);
    }
  });
});

describe("bad input and other readers", () => {
  it("an unknown or invisible thread is 404 for a signed-in reader, through the shared page or not", async () => {
    const r = await reader(await createUser(base.db, "patient"));
    const pending = await createThread(base.db, await createUser(base.db, "patient"), { status: "PENDING" });
    for (const path of ["/t/999999", `/t/${pending.id}`, "/t/0", "/t/abc"]) {
      const res = await fast.http().get(path).set("cookie", r.cookie);
      expect([400, 404], path).toContain(res.status);
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    }
    // Its author sees it, with its status.
    const author = await reader(await createUser(base.db, "patient"));
    const own = await createThread(base.db, author.user, { status: "PENDING", title: "My own waiting question" });
    const page = await fast.http().get(`/t/${own.id}`).set("cookie", author.cookie);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Awaiting moderation.");
  });
});
