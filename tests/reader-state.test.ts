// A signed-in reader's thread page is their own, however it is built. Most signed-in pages are built on the page
// everyone sees (the shared, signed-out read and its cut reply list, src/threads/reply-list.ts) plus the reader's
// own state; the rest are read and rendered for the reader alone. This file generates reader states over the demo
// threads with fast-check and holds the two ways to the same HTML for every state: a differential test, since a
// field taken from the shared read instead of the reader's state passes every example that forgot that field.
//
// Seeded, so CI runs the same states every time: READER_STATE_SEED and READER_STATE_RUNS override the seed and
// the number of runs (a failure prints its seed and the state, and that seed replays it).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, seedDemo } from "../src/db/seed.ts";
import { WITHDRAWN_TITLE } from "../src/threads/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createUser, type Persona } from "./helpers/factories.ts";
import { logIn, textOf } from "./helpers/http.ts";
import { within } from "./helpers/wait.ts";

const SEED = Number(process.env.READER_STATE_SEED ?? 20261202);
const RUNS = Number(process.env.READER_STATE_RUNS ?? 40);

let base: TestApp;
/** Builds signed-in pages on the shared page (the page cache on). */
let fast: TestApp;
/** The same database without the cache: every page read and rendered for its reader alone. */
let plain: TestApp;

interface DemoThread {
  id: number;
  kind: "QUESTION" | "ARTICLE";
  title: string;
  body: string;
  authorEmail: string;
  pages: number;
  /** Published replies by verified physicians: the ones with helpful / agree / accept buttons. */
  answers: { id: number; authorId: string }[];
}
let threads: DemoThread[] = [];

beforeAll(async () => {
  base = await buildTestApp();
  expect(await seedDemo(base.db)).toBe(true);
  fast = await buildTestApp({ PAGE_CACHE: "true" }, {}, base.database);
  plain = await buildTestApp({ PAGE_CACHE: "false" }, {}, base.database);
  expect(fast.app.fragmentCache).not.toBeNull();
  const rows = await base.db.thread.findMany({
    where: { status: "APPROVED", withdrawnAt: null },
    orderBy: { id: "asc" },
    select: {
      id: true,
      kind: true,
      title: true,
      body: true,
      author: { select: { email: true } },
      replies: {
        where: { status: "APPROVED" },
        select: { id: true, depth: true, authorId: true, author: { select: { physicianProfile: { select: { status: true } } } } },
      },
    },
  });
  threads = rows.map((t) => ({
    id: t.id,
    kind: t.kind,
    title: t.title,
    body: t.body,
    authorEmail: t.author.email as string,
    pages: Math.max(1, Math.ceil(t.replies.filter((r) => r.depth === 0).length / 20)),
    answers: t.replies.filter((r) => r.author.physicianProfile?.status === "VERIFIED").map((r) => ({ id: r.id, authorId: r.authorId })),
  }));
  // The demo has questions with answers, articles, and threads with several answers: the states below need them.
  expect(threads.filter((t) => t.kind === "QUESTION" && t.answers.length > 1).length).toBeGreaterThan(0);
  expect(threads.some((t) => t.kind === "ARTICLE")).toBe(true);
}, 120_000);

afterAll(async () => {
  await plain?.close();
  await fast?.close();
  await base?.close();
});

type Role = "signedOut" | "patient" | "asker" | "physician" | "unverifiedPhysician" | "moderator" | "admin" | "suspended";
type Own = "none" | "reply" | "pendingReply" | "pendingEdit";

interface ReaderState {
  role: Role;
  following: boolean;
  /** A post of their own on the thread: a published reply, one awaiting review, or an edit awaiting review. */
  own: Own;
  /** Answers (indexes, modulo the thread's answers) they marked helpful: patients' signal. */
  helpful: number[];
  /** Answers they agree with: verified physicians' signal. */
  agree: number[];
}

interface Scenario {
  /** Index into the demo threads, modulo their number. */
  thread: number;
  page: number;
  locked: boolean;
  /** Withdrawn by its asker (questions only). */
  withdrawn: boolean;
  /** The answer the asker marked "answered my question" (questions only), or none. */
  accepted: number | null;
  /** Readers who look at the same kept shared page in turn, so that slots rendered for one are reused by the next. */
  readers: ReaderState[];
}

const readerState: fc.Arbitrary<ReaderState> = fc.record({
  role: fc.constantFrom<Role>("signedOut", "patient", "asker", "physician", "unverifiedPhysician", "moderator", "admin", "suspended"),
  following: fc.boolean(),
  own: fc.constantFrom<Own>("none", "reply", "pendingReply", "pendingEdit"),
  helpful: fc.uniqueArray(fc.nat(5), { maxLength: 3 }),
  agree: fc.uniqueArray(fc.nat(5), { maxLength: 2 }),
});

const scenario: fc.Arbitrary<Scenario> = fc.record({
  thread: fc.nat(40),
  page: fc.nat(1),
  locked: fc.boolean(),
  withdrawn: fc.boolean(),
  accepted: fc.option(fc.nat(5), { nil: null }),
  readers: fc.array(readerState, { minLength: 1, maxLength: 3 }),
});

/** Signed-in readers, one per role and place in a scenario (or per thread, for its asker), signed in once. */
const signedIn = new Map<string, { id: string; cookie: string }>();

async function readerFor(role: Exclude<Role, "signedOut">, slot: number, thread: DemoThread) {
  const key = role === "asker" ? `asker:${thread.id}` : `${role}:${slot}`;
  let r = signedIn.get(key);
  if (!r) {
    let user: { id: string; email: string };
    let password: string | undefined;
    if (role === "asker") {
      user = await base.db.user.findUniqueOrThrow({ where: { email: thread.authorEmail }, select: { id: true, email: true } });
      password = DEMO_PASSWORD;
    } else {
      const persona: Persona = role === "suspended" ? "patient" : role;
      user = await createUser(base.db, persona);
      if (role === "suspended")
        await base.db.user.update({ where: { id: user.id }, data: { suspendedUntil: new Date(Date.now() + 30 * 86_400_000) } });
    }
    const res = await logIn(fast.agent(), user, password);
    const cookie = (res.headers["set-cookie"] as unknown as string[])
      .map((c) => c.split(";")[0] as string)
      .filter((c) => !c.startsWith("curbside_fresh="))
      .join("; ");
    r = { id: user.id, cookie };
    signedIn.set(key, r);
  }
  return r;
}

/** A page with what is drawn per response (CSRF tokens, the script nonce, a form's submission key) blanked. */
const normalised = (html: string) =>
  html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/name="_submission" value="[^"]*"/g, 'name="_submission" value=""');

/**
 * Waits until the page cache has heard every change made so far: a marker kept under the thread's tag, then a
 * change notice for the thread sent after those changes; PostgreSQL delivers notices in commit order, so once the
 * marker is gone the notices before it have dropped whatever they made stale.
 */
async function settled(threadId: number) {
  const fragments = fast.app.fragmentCache;
  if (!fragments) throw new Error("the page cache is off");
  fragments.set("reader-state:barrier", true, [`thread:${threadId}`], 1, fragments.begin());
  await base.db.$executeRawUnsafe(`SELECT pg_notify('curbside_pages', $1)`, JSON.stringify({ t: threadId }));
  const waited = await within(10_000, async () => fragments.get("reader-state:barrier") === undefined);
  expect(waited).toBeLessThan(10_000);
}

/** The first line where two pages part, with a little around it, for a failure message a person can read. */
function firstDifference(a: string, b: string): string {
  const al = a.split("\n");
  const bl = b.split("\n");
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}:\n  built: ${al[i]?.trim().slice(0, 300)}\n  alone: ${bl[i]?.trim().slice(0, 300)}`;
  }
  return "(none)";
}

/** Sets the scenario up, compares every reader's page both ways, and undoes everything it did. */
async function check(s: Scenario): Promise<void> {
  const thread = threads[s.thread % threads.length] as DemoThread;
  const page = Math.min(thread.pages, s.page + 1);
  const path = `/t/${thread.id}${page > 1 ? `?page=${page}` : ""}`;
  const isQuestion = thread.kind === "QUESTION";
  const answerAt = (i: number) => thread.answers[i % Math.max(1, thread.answers.length)];
  const before = await base.db.reply.findMany({
    where: { id: { in: thread.answers.map((a) => a.id) } },
    select: { id: true, acceptedAt: true, helpfulCount: true, agreeCount: true },
  });
  const made = {
    replies: [] as number[],
    marks: [] as { replyId: number; userId: string }[],
    agreements: [] as { replyId: number; userId: string }[],
    follows: [] as string[],
    unfollowed: [] as { userId: string; threadId: number; createdAt: Date }[],
  };
  try {
    await base.db.thread.update({
      where: { id: thread.id },
      data: {
        lockedAt: s.locked ? new Date("2026-11-30T12:00:00Z") : null,
        ...(s.withdrawn && isQuestion ? { withdrawnAt: new Date("2026-11-30T12:00:00Z"), title: WITHDRAWN_TITLE, body: "" } : {}),
      },
    });
    const accepted = s.accepted === null || !isQuestion ? undefined : answerAt(s.accepted);
    if (accepted) await base.db.reply.update({ where: { id: accepted.id }, data: { acceptedAt: new Date("2026-11-30T12:00:00Z") } });

    const readers: { state: ReaderState; cookie: string | null }[] = [];
    for (const [slot, state] of s.readers.entries()) {
      if (state.role === "signedOut") {
        readers.push({ state, cookie: null });
        continue;
      }
      const r = await readerFor(state.role, slot, thread);
      const me = { id: r.id, email: "", pseudonym: "", persona: "patient" as const };
      // Exactly as the state says, for a demo asker too (who may follow their question already): put back after.
      const follows = await base.db.threadSubscription.findUnique({ where: { userId_threadId: { userId: r.id, threadId: thread.id } } });
      if (follows && !state.following) {
        await base.db.threadSubscription.delete({ where: { userId_threadId: { userId: r.id, threadId: thread.id } } });
        made.unfollowed.push(follows);
      } else if (!follows && state.following) {
        await base.db.threadSubscription.create({ data: { userId: r.id, threadId: thread.id } });
        made.follows.push(r.id);
      }
      if (state.own !== "none") {
        const reply = await createReply(base.db, me, thread.id, {
          body: `A reply of a reader in state ${state.own}.`,
          status: state.own === "pendingReply" ? "PENDING" : "APPROVED",
        });
        made.replies.push(reply.id);
        if (state.own === "pendingEdit")
          await base.db.postRevision.create({
            data: { replyId: reply.id, editorId: r.id, body: "An edit awaiting review.", status: "PENDING" },
          });
      }
      const patientLike = state.role === "patient" || state.role === "asker" || state.role === "suspended";
      for (const i of patientLike ? state.helpful : []) {
        const answer = answerAt(i);
        if (!answer) continue;
        // A demo patient may have marked it already (the seed's marks are part of their state).
        const { count } = await base.db.helpfulMark.createMany({ data: { replyId: answer.id, userId: r.id }, skipDuplicates: true });
        if (count === 0) continue;
        await base.db.reply.update({ where: { id: answer.id }, data: { helpfulCount: { increment: 1 } } });
        made.marks.push({ replyId: answer.id, userId: r.id });
      }
      for (const i of state.role === "physician" ? state.agree : []) {
        const answer = answerAt(i);
        if (!answer || answer.authorId === r.id) continue;
        const { count } = await base.db.agreement.createMany({ data: { replyId: answer.id, userId: r.id }, skipDuplicates: true });
        if (count === 0) continue;
        await base.db.reply.update({ where: { id: answer.id }, data: { agreeCount: { increment: 1 } } });
        made.agreements.push({ replyId: answer.id, userId: r.id });
      }
      readers.push({ state, cookie: r.cookie });
    }
    await settled(thread.id);

    for (const [i, { state, cookie }] of readers.entries()) {
      const builtReq = fast.http().get(path);
      const aloneReq = plain.http().get(path);
      const built = await (cookie ? builtReq.set("cookie", cookie) : builtReq);
      const alone = await (cookie ? aloneReq.set("cookie", cookie) : aloneReq);
      const label = `reader ${i} ${JSON.stringify(state)} on ${path} (${thread.kind.toLowerCase()}, locked ${s.locked}, withdrawn ${s.withdrawn && isQuestion}, accepted ${accepted?.id ?? "none"})`;
      expect(alone.status, label).toBe(200);
      expect(built.status, label).toBe(200);
      const a = normalised(built.text);
      const b = normalised(alone.text);
      if (a !== b)
        throw new Error(
          `${label}: the page built on the shared page differs from the page read for the reader alone, at ${firstDifference(a, b)}`,
        );
    }
  } finally {
    await base.db.reply.deleteMany({ where: { id: { in: made.replies } } }); // their pending edits go with them
    for (const m of made.marks) await base.db.helpfulMark.delete({ where: { replyId_userId: m } });
    for (const m of made.agreements) await base.db.agreement.delete({ where: { replyId_userId: m } });
    await base.db.threadSubscription.deleteMany({ where: { threadId: thread.id, userId: { in: made.follows } } });
    if (made.unfollowed.length > 0) await base.db.threadSubscription.createMany({ data: made.unfollowed });
    for (const r of before)
      await base.db.reply.update({
        where: { id: r.id },
        data: { acceptedAt: r.acceptedAt, helpfulCount: r.helpfulCount, agreeCount: r.agreeCount },
      });
    await base.db.thread.update({
      where: { id: thread.id },
      data: { lockedAt: null, withdrawnAt: null, title: thread.title, body: thread.body },
    });
  }
}

describe("a signed-in reader's thread page", () => {
  it("shows a reader who follows the thread that they follow it, built on the shared page or not", async () => {
    const thread = threads.find((t) => t.kind === "QUESTION") as DemoThread;
    const r = await readerFor("patient", 99, thread);
    await base.db.threadSubscription.create({ data: { userId: r.id, threadId: thread.id } });
    try {
      await settled(thread.id);
      // Twice: the first may fill the shared page, the second is built on the kept one.
      for (const round of [1, 2]) {
        const built = textOf((await fast.http().get(`/t/${thread.id}`).set("cookie", r.cookie)).text);
        expect(built, `round ${round}`).toContain("Stop email about replies");
        expect(built, `round ${round}`).not.toContain("Email me about replies");
      }
      expect(fast.app.fragmentCache?.get(`thread-page:${thread.id}:1`)).toBeDefined();
      const alone = textOf((await plain.http().get(`/t/${thread.id}`).set("cookie", r.cookie)).text);
      expect(alone).toContain("Stop email about replies");
    } finally {
      await base.db.threadSubscription.deleteMany({ where: { userId: r.id, threadId: thread.id } });
    }
  });

  it("is the same HTML built on the shared page as read for the reader alone, for every generated reader state", async () => {
    const details = await fc.check(
      fc.asyncProperty(scenario, async (s) => {
        await check(s);
      }),
      // Bounded: a failure shrinks for at most this long; a passing run on a loaded machine stays well inside it.
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 240_000 },
    );
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`${fc.defaultReportMessage(details) ?? "property failed"}\n${cause}`);
    }
    // Interrupted without a failure means the machine was too slow to try every state: say so rather than pass quietly.
    expect(details.numRuns, "runs completed before the time limit").toBe(RUNS);
  }, 600_000);
});
