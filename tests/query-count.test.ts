// A page costs a fixed number of SQL statements, however much it shows: thread pages with 5 and 500
// replies, home and category pages with few and many threads, and the moderation queue with few and many
// items. Every statement is counted at the connection, includes and all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCountingApp, buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn } from "./helpers/http.ts";

let base: TestApp;
let t: TestApp;
const statements: string[] = [];
let patient: UserFixture;
let physician: UserFixture;

beforeAll(async () => {
  base = await buildTestApp();
  t = await buildCountingApp(base, {}, statements);
  patient = await createUser(base.db, "patient");
  physician = await createUser(base.db, "physician");
});
afterAll(async () => {
  await t.close();
  await base.close();
});

/** Statements for one request, after a first request has warmed up connections. */
async function count(agent: ReturnType<TestApp["agent"]> | null, path: string): Promise<number> {
  const send = () => (agent ? agent.get(path) : t.http().get(path));
  expect((await send()).status).toBe(200);
  statements.length = 0;
  expect((await send()).status).toBe(200);
  return statements.length;
}

/** A thread with `n` replies: top-level answers and follow-ups beneath them, by several people. */
async function threadWith(n: number) {
  const thread = await createThread(base.db, patient);
  const rows: { id: number }[] = [];
  for (let i = 0; i < n; i++) {
    const parent: { id: number } | undefined = i % 3 === 2 ? rows[i - 1] : undefined;
    rows.push(await createReply(base.db, i % 2 ? physician : patient, thread.id, { parentId: parent?.id }));
  }
  return thread.id;
}

describe("queries per page", () => {
  let small: number;
  let large: number;
  beforeAll(async () => {
    small = await threadWith(5);
    large = await threadWith(500);
  }, 120_000);

  it("a thread page: the same for 5 and 500 replies, one statement signed out and two signed in", async () => {
    const few = await count(null, `/t/${small}`);
    const many = await count(null, `/t/${large}`);
    const last = await count(null, `/t/${large}?page=12`);
    expect(many).toBe(few);
    expect(last).toBe(few);
    // One prepared statement reads the thread and its page of replies (src/threads/page-queries.ts).
    expect(few).toBe(1);
    const agent = t.agent();
    await logIn(agent, await createUser(base.db, "patient"));
    const signedFew = await count(agent, `/t/${small}`);
    expect(await count(agent, `/t/${large}`)).toBe(signedFew);
    expect(signedFew).toBe(2); // and the session
  });

  it("home and category pages: the same for few and many threads, at most 5", async () => {
    const homeFew = await count(null, "/");
    const categoryFew = await count(null, "/c/support");
    for (let i = 0; i < 40; i++) {
      const thread = await createThread(base.db, patient, { category: "support" });
      await base.db.thread.update({ where: { id: thread.id }, data: { answeredAt: new Date() } });
    }
    expect(await count(null, "/")).toBe(homeFew);
    expect(await count(null, "/c/support")).toBe(categoryFew);
    expect(await count(null, "/c/support?page=2")).toBe(categoryFew);
    expect(Math.max(homeFew, categoryFew)).toBeLessThanOrEqual(5);
  });

  it("the moderation queue: the same for few and many items, at most 5", async () => {
    // With two-factor on, as production requires of staff: a staff member without it costs one statement more
    // per staff page, the check whether the admins require it (src/plugins/staff-two-factor.ts).
    const moderator = t.agent();
    const mod = await createUser(base.db, "moderator");
    await logIn(moderator, mod);
    await base.db.user.update({ where: { id: mod.id }, data: { totpEnabledAt: new Date(), totpSecret: "JBSWY3DPEHPK3PXP" } });
    await createThread(base.db, patient, { status: "PENDING" });
    const few = await count(moderator, "/moderation");
    for (let i = 0; i < 60; i++) {
      const author = await createUser(base.db, "patient");
      const thread = await createThread(base.db, author, { status: "PENDING" });
      if (i % 2) await createReply(base.db, author, (await createThread(base.db, patient)).id, { status: "PENDING" });
      if (i % 5 === 0) await base.db.flag.create({ data: { reporterId: patient.id, threadId: thread.id, reason: "SPAM" } });
    }
    const many = await count(moderator, "/moderation");
    expect(many).toBe(few);
    // The session, the questions, the replies, the edits, and one statement for the rest (settings,
    // applications, reports, the authors' histories): 5, whatever the number of items.
    expect(few).toBeLessThanOrEqual(5);
  });
});
