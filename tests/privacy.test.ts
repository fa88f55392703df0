// Privacy: a crawler over the seeded site finds no email address or private field, as a reader or as another
// patient; pages load nothing from other sites; cookies are only what is needed; withdrawal and retention.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/db/seed.ts";
import { threadUrl } from "../src/posts/urls.ts";
import { purgeExpiredData } from "../src/privacy/retention.ts";
import { WITHDRAWN_REPLY, WITHDRAWN_TITLE } from "../src/threads/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser } from "./helpers/factories.ts";
import { attr, elements, parseHtml } from "./helpers/html.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await seedDemo(t.db);
});
afterAll(() => t.close());

type Agent = ReturnType<TestApp["agent"]> | ReturnType<TestApp["http"]>;

/** Follows every same-site link from the home page (public pages; no account pages). */
async function crawl(agent: () => Agent): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  const queue = ["/", "/privacy", "/terms", "/physicians", "/login", "/signup"];
  while (queue.length > 0 && pages.size < 300) {
    const path = queue.shift() as string;
    if (pages.has(path)) continue;
    const res = await agent().get(path);
    expect(res.status, path).toBeLessThan(500);
    if (!String(res.headers["content-type"]).includes("text/html")) continue;
    pages.set(path, res.text);
    for (const el of elements(parseHtml(res.text))) {
      const href = el.tagName === "a" ? attr(el, "href") : undefined;
      if (!href?.startsWith("/") || href.startsWith("//")) continue;
      const clean = href.split("#")[0] as string;
      if (/^\/(account|moderation|ask|public\/|logout)/.test(clean) || clean.includes("/edit")) continue;
      if (!pages.has(clean)) queue.push(clean);
    }
  }
  return pages;
}

describe("no private data on public pages", () => {
  // Pending reply bodies, made through the reply form and still waiting: only their authors and moderators may read them.
  const PENDING_REPLIES = ["Pending follow-up pq7 about my own lab results", "Pending support pq8 from another member"];
  let author: ReturnType<TestApp["agent"]>;
  let pendingThreadPaths: string[];

  beforeAll(async () => {
    author = t.agent();
    await logIn(author, await createUser(t.db, "patient", { email: "pending.author@example.test" }));
    await createUser(t.db, "patient", { email: "crawler.patient@example.test" });
    const threads = await t.db.thread.findMany({ where: { status: "APPROVED", kind: "QUESTION" }, orderBy: { id: "asc" }, take: 2 });
    pendingThreadPaths = [];
    for (const [i, body] of PENDING_REPLIES.entries()) {
      const thread = threads[i] as (typeof threads)[number];
      const res = await submit(author, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body, parentId: "" });
      expect(res.status).toBe(303);
      expect((await t.db.reply.findFirstOrThrow({ where: { body } })).status).toBe("PENDING");
      pendingThreadPaths.push(threadUrl(thread));
    }
  });

  /** Crawls as a reader and as another patient on `app`, and checks no page shows a private value or an unpublished post. */
  async function expectNothingPrivate(app: TestApp) {
    const users = await t.db.user.findMany({ include: { physicianProfile: true, sessions: true } });
    const secrets = new Set<string>();
    for (const u of users) {
      secrets.add(u.email);
      secrets.add(u.passwordHash);
      for (const s of u.sessions) secrets.add(s.id);
      const p = u.physicianProfile;
      if (p) {
        secrets.add(p.licenseNumber);
        // An applicant's real name is private until a moderator verifies them.
        if (p.status !== "VERIFIED") secrets.add(p.fullName);
      }
    }
    const unpublished = [
      ...(await t.db.thread.findMany({ where: { status: { not: "APPROVED" } } })).map((x) => x.title),
      ...(await t.db.reply.findMany({ where: { status: { not: "APPROVED" } } })).map((x) => x.body),
    ].filter((text) => text.length >= 12);
    for (const body of PENDING_REPLIES) expect(unpublished).toContain(body);
    const emailLike = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;

    // The author reads their own pending replies first (and so fills any cache with the pages they see).
    for (const path of pendingThreadPaths) {
      const own = textOf((await author.get(path)).text);
      expect(
        PENDING_REPLIES.some((body) => own.includes(body)),
        `the author sees their pending reply on ${path}`,
      ).toBe(true);
    }
    const patient = request.agent(app.app.server);
    await logIn(patient, { email: "crawler.patient@example.test" });
    for (const [who, agent] of [
      ["reader", () => app.http()],
      ["another patient", () => patient],
    ] as const) {
      const pages = await crawl(agent);
      expect(pages.size, who).toBeGreaterThan(15);
      for (const path of pendingThreadPaths) expect(pages.has(path), `${who} crawled ${path}`).toBe(true);
      for (const [path, html] of pages) {
        const text = textOf(html);
        expect(text.match(emailLike)?.[0], `${who} sees an email on ${path}`).toBeUndefined();
        for (const secret of secrets) expect(html.includes(secret), `${who} sees a private value on ${path}`).toBe(false);
        for (const post of unpublished) expect(text.includes(post), `${who} sees an unpublished post on ${path}`).toBe(false);
        for (const body of PENDING_REPLIES) expect(html.includes(body), `${who} sees a pending reply in the markup of ${path}`).toBe(false);
      }
    }
  }

  it("as a reader and as another patient, no page shows an email address, a private field or a pending post", async () => {
    await expectNothingPrivate(t);
  }, 300_000);

  it("the same with the page cache on, after the authors of pending replies read their pages", async () => {
    // Test apps turn the page cache off; here a second app on the same database has it on, as production does.
    const cached = await buildTestApp({ PAGE_CACHE: "true" }, {}, t.database);
    try {
      expect(cached.config.pageCache).toBe(true);
      const agentOnCached = author;
      author = request.agent(cached.app.server);
      await logIn(author, { email: "pending.author@example.test" });
      try {
        await expectNothingPrivate(cached);
      } finally {
        author = agentOnCached;
      }
    } finally {
      await cached.close();
    }
  }, 300_000);
});

describe("no third parties, few cookies", () => {
  it("pages load scripts, styles, images and fonts from this site only", async () => {
    for (const path of ["/", "/t/1", "/signup", "/physicians", "/privacy"]) {
      const res = await t.http().get(path);
      for (const el of elements(parseHtml(res.text))) {
        for (const name of ["src", "href", "action"]) {
          const value = attr(el, name);
          if (!value || el.tagName === "a") continue;
          // A canonical link loads nothing; it names this site's own address for the page, in full.
          if (el.tagName === "link" && attr(el, "rel") === "canonical") {
            expect(value.startsWith(`${t.config.publicUrl}/`), `canonical on ${path}: ${value}`).toBe(true);
            continue;
          }
          expect(value, `${el.tagName} ${name} on ${path}`).toMatch(/^\/(?!\/)/);
        }
      }
      expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    }
  });

  it("a reader who only reads gets no cookie at all; a form page sets one, HttpOnly", async () => {
    for (const path of ["/", "/t/1", "/c/support", "/physicians", "/privacy"]) {
      await expect(
        t
          .http()
          .get(path)
          .then((r) => r.headers["set-cookie"]),
      ).resolves.toBeUndefined();
    }
    const login = await t.http().get("/login");
    const cookies = login.headers["set-cookie"] as unknown as string[];
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^curbside_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it("the privacy and terms pages carry the disclaimer and the retention period", async () => {
    const privacy = textOf((await t.http().get("/privacy")).text);
    expect(privacy).toContain("deleted 90 days after the decision");
    expect(privacy).toContain("We store no IP addresses");
    const terms = textOf((await t.http().get("/terms")).text);
    expect(terms).toContain("do not create a doctor–patient relationship");
    expect(terms).toContain("In an emergency, call your local emergency number now.");
  });
});

describe("withdrawing a question", () => {
  it("redacts the question and the author's replies, keeps the answers with a note", async () => {
    const author = await createUser(t.db);
    const physician = await createUser(t.db, "physician", { fullName: "Answer Keeper" });
    const thread = await createThread(t.db, author, { title: "My very identifying question", body: "Details about my life" });
    const answer = await createReply(t.db, physician, thread.id, { body: "A physician's answer that stays." });
    await createReply(t.db, author, thread.id, { body: "My own follow-up with details", parentId: answer.id });
    const agent = t.agent();
    await logIn(agent, author);
    const noConfirm = await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/withdraw`, {});
    expect(noConfirm.status).toBe(400);
    expect(textOf(noConfirm.text)).toContain("Tick the box to confirm");
    const res = await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/withdraw`, { confirm: "withdraw" });
    expect(res.status).toBe(303);
    const page = textOf((await t.http().get(`/t/${thread.id}`)).text);
    expect(page).toContain(WITHDRAWN_TITLE);
    expect(page).toContain("The person who asked withdrew this question");
    expect(page).toContain("A physician's answer that stays.");
    expect(page).toContain(WITHDRAWN_REPLY);
    expect(page).not.toContain("identifying");
    expect(page).not.toContain("Details about my life");
    expect(page).not.toContain("My own follow-up with details");
    const row = await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(row.body).toBe("");
    expect(row.withdrawnAt).toBeInstanceOf(Date);
  });

  it("only the author can withdraw", async () => {
    const thread = await createThread(t.db, await createUser(t.db));
    const other = t.agent();
    await logIn(other, await createUser(t.db));
    const res = await submit(other, "/", `/t/${thread.id}/withdraw`, { confirm: "withdraw" });
    expect(res.status).toBe(404);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).withdrawnAt).toBeNull();
  });
});

describe("retention", () => {
  it("deletes rejected posts after the retention period, and nothing else", async () => {
    const author = await createUser(t.db);
    const old = new Date(Date.now() - 91 * 86_400_000);
    const recent = new Date(Date.now() - 10 * 86_400_000);
    const oldThread = await createThread(t.db, author, { status: "REJECTED" });
    const newThread = await createThread(t.db, author, { status: "REJECTED" });
    const approved = await createThread(t.db, author);
    const oldReply = await createReply(t.db, author, approved.id, { status: "REJECTED" });
    await t.db.thread.update({ where: { id: oldThread.id }, data: { moderatedAt: old } });
    await t.db.thread.update({ where: { id: newThread.id }, data: { moderatedAt: recent } });
    await t.db.thread.update({ where: { id: approved.id }, data: { moderatedAt: old } });
    await t.db.reply.update({ where: { id: oldReply.id }, data: { moderatedAt: old } });
    const result = await purgeExpiredData(t.db, 90);
    expect(result.threads).toBeGreaterThanOrEqual(1);
    expect(result.replies).toBeGreaterThanOrEqual(1);
    expect(await t.db.thread.count({ where: { id: oldThread.id } })).toBe(0);
    expect(await t.db.reply.count({ where: { id: oldReply.id } })).toBe(0);
    expect(await t.db.thread.count({ where: { id: { in: [newThread.id, approved.id] } } })).toBe(2);
  });
});
