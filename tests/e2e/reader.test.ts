// In Chromium, what readers and staff look for (issue #25), at a phone's and a desktop's width: the Latest and
// Unanswered lists and a category's orders with their pages, a search that forgives typing, notifications that
// name their post, the physician inbox, each post state by its name, the moderation log and the edits view,
// physician profiles, and references that say which line is wrong. Each page is checked with axe, must not
// scroll sideways, and is saved to screenshots/<name>-<width>.png. What the demo data lacks (enough threads to
// paginate, an inbox worth ordering) is added here, not to the demo seed.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, seedDemo } from "../../src/db/seed.ts";
import { ACTION_WORDS } from "../../src/moderation/log.ts";
import { lapseOverdueVerifications } from "../../src/moderation/verification-lapse.ts";
import { describeWait, measureTypicalWait } from "../../src/posts/typical-wait.ts";
import { createUser } from "../helpers/factories.ts";
import { type E2E, expectAccessible, signIn, startE2E } from "./browser.ts";

let e2e: E2E;
const SHOTS = join(import.meta.dirname, "screenshots");
const WIDTHS = [
  [390, 844],
  [1280, 800],
] as const;
/** Per test: several sign-ins and axe runs at one width, on a machine at load 10 to 20. */
const SLOW = 300_000;
const PER_PAGE = 20;
const DAY = 86_400_000;
const HOUR = 3_600_000;

const PATIENT = "patient@example.com";
const PHYSICIAN = "physician@example.com";
const MODERATOR = "moderator@example.com";

/** Questions added for the inbox: `urgent`, addressed to the demo physician, in a category they follow, or none. */
const INBOX = [
  {
    title: "Inbox check: borderline anticardiolipin twice, what next?",
    body: "Two borderline anticardiolipin results, twelve weeks apart. Is that antiphospholipid syndrome or not?",
    category: "autoimmune-conditions-in-pregnancy",
    by: "hazel@example.net",
    daysAgo: 9,
  },
  {
    title: "Inbox check: is a short luteal phase linked to early loss?",
    body: "My luteal phase is nine days. Could that explain two losses before six weeks?",
    category: "recurrent-pregnancy-loss",
    by: "saffron@example.net",
    daysAgo: 4,
  },
  {
    title: "Inbox check: thyroid antibodies with a normal TSH",
    body: "My TSH is normal but thyroid antibodies are raised. Should this be treated before trying again?",
    category: "autoimmune-conditions-in-pregnancy",
    by: "marigold@example.net",
    daysAgo: 3,
  },
  {
    title: "Inbox check: should my partner be tested as well?",
    body: "After three losses, which of the tests make sense for my partner too?",
    category: "support",
    by: "wren@example.net",
    daysAgo: 2,
    addressed: true,
  },
  {
    title: "Inbox check: sharp pain and fainting the day after transfer",
    body: "Sharp pain on one side and I fainted this morning, the day after a transfer. Is this expected?",
    category: "ivf-implantation-failure",
    by: "clover@example.net",
    daysAgo: 1,
    urgent: true,
  },
];
/** Enough approved, unanswered questions in one category for the lists and the category to have a second page. */
const FILLER = 22;
const fillerTitle = (n: number) => `Getting through cycle ${n + 1}: what helped you most?`;

beforeAll(async () => {
  e2e = await startE2E();
  await seedDemo(e2e.t.db);
  await mkdir(SHOTS, { recursive: true });
  const db = e2e.t.db;
  const user = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
  const category = async (slug: string) => (await db.category.findUniqueOrThrow({ where: { slug } })).id;
  const now = Date.now();
  const physician = await user(PHYSICIAN);
  const authors = [await user("clover@example.net"), await user("hazel@example.net")];
  const support = await category("support");
  // Approved after waiting 0 to 90 hours: the order of last activity is not the order of asking.
  for (let n = 0; n < FILLER; n++) {
    const createdAt = new Date(now - (n + 1) * DAY - n * 60_000);
    const approvedAt = new Date(createdAt.getTime() + (n % 4) * 30 * HOUR);
    const thread = await db.thread.create({
      data: {
        kind: "QUESTION",
        title: fillerTitle(n),
        body: `Week ${n + 1} of waiting between cycles. Walks, films and friends help me; what helped you?`,
        categoryId: support,
        authorId: authors[n % 2] as string,
        status: "APPROVED",
        createdAt,
        updatedAt: createdAt,
        approvedAt,
        lastActivityAt: approvedAt,
      },
    });
    // Support questions are not the demo physician's to answer: "Not for me", so the inbox stays readable.
    await db.inboxDismissal.create({ data: { userId: physician, threadId: thread.id } });
  }
  for (const q of INBOX) {
    const createdAt = new Date(now - q.daysAgo * DAY);
    const approvedAt = new Date(createdAt.getTime() + 3 * HOUR);
    await db.thread.create({
      data: {
        kind: "QUESTION",
        title: q.title,
        body: q.body,
        categoryId: await category(q.category),
        authorId: await user(q.by),
        status: "APPROVED",
        urgent: q.urgent ?? false,
        addressedToId: q.addressed ? physician : null,
        createdAt,
        updatedAt: createdAt,
        approvedAt,
        lastActivityAt: approvedAt,
      },
    });
  }
}, 120_000);
afterAll(() => e2e?.close());

async function newPage(options?: Parameters<E2E["context"]>[0]): Promise<Page> {
  const page = await (await e2e.context(options)).newPage();
  // Leaving a form with text in it asks first; these tests leave such forms on purpose.
  page.on("dialog", (dialog) => dialog.accept().catch(() => {}));
  return page;
}

async function signedIn(email: string, width: number, height: number): Promise<Page> {
  const page = await newPage({ width, height });
  await signIn(page, email, DEMO_PASSWORD);
  return page;
}

/** axe clean, nothing wider than the viewport, and a full-page screenshot to look at. */
async function checkPage(page: Page, name: string, width: number): Promise<void> {
  await expectAccessible(page);
  const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(overflow.scroll, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(overflow.inner);
  await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
}

/** Runs `fn` once, the first time any test needs what it sets up. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let done: Promise<T> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

const listTitles = (page: Page) => page.locator("ol.thread-list > li h3 a").allTextContents();

async function askAsPatient(page: Page, title: string, category: string, body: string): Promise<number> {
  await page.goto("/ask");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Category").selectOption({ label: category });
  await page.getByLabel("Your question").fill(body);
  await page.getByRole("button", { name: "Send for review" }).click();
  await page.waitForURL((url) => /^\/t\/\d+/.test(url.pathname));
  return Number(/^\/t\/(\d+)/.exec(new URL(page.url()).pathname)?.[1]);
}

function queueItem(page: Page, heading: string | RegExp) {
  return page.getByRole("article").filter({ has: page.getByRole("heading", { name: heading }) });
}

// What the moderators decide, through their own pages, for the tests that read the outcome.
const SENT_BACK = "Sent back: does a thin lining explain two failed transfers?";
const APPROVED = "Approved: is a second opinion on NK-cell results worth it?";
const sentBackForChanges = once(async () => {
  const patient = await signedIn(PATIENT, 1280, 800);
  await askAsPatient(
    patient,
    SENT_BACK,
    "IVF & implantation failure",
    "My lining was thin at both transfers. Could that be the reason neither embryo implanted?",
  );
  const moderator = await signedIn(MODERATOR, 1280, 800);
  await moderator.goto("/moderation");
  const item = queueItem(moderator, SENT_BACK);
  await item.getByText("Request changes…").click();
  await item.getByLabel("What should the author change?").fill("Please add how thick the lining was, in millimetres.");
  await item.getByRole("button", { name: /^Send back to the author/ }).click();
  await moderator.waitForURL(/\/moderation\?notice=changes/);
  await patient.context().close();
  await moderator.context().close();
});
const approvedQuestion = once(async () => {
  const patient = await signedIn(PATIENT, 1280, 800);
  const id = await askAsPatient(
    patient,
    APPROVED,
    "Reproductive immunology",
    "My NK-cell results were read very differently by two doctors. Is a third opinion worth the cost?",
  );
  const moderator = await signedIn(MODERATOR, 1280, 800);
  await moderator.goto("/moderation");
  await queueItem(moderator, APPROVED)
    .getByRole("button", { name: /^Approve/ })
    .click();
  await moderator.waitForURL(/\/moderation\?notice=approved/);
  await patient.context().close();
  await moderator.context().close();
  return id;
});
/** The demo patient's reply that an edit changes by one word: "Five weeks" becomes "Six weeks". */
const replyEdited = once(async () => {
  const reply = await e2e.t.db.reply.findFirstOrThrow({ where: { body: { startsWith: "Five weeks is such a long time" } } });
  const patient = await signedIn(PATIENT, 1280, 800);
  await patient.goto(`/replies/${reply.id}/edit`);
  await patient.getByLabel("Your reply").fill(reply.body.replace("Five weeks", "Six weeks"));
  await patient.getByRole("button", { name: "Send edit for review" }).click();
  await patient.waitForURL((url) => url.pathname.startsWith("/t/"));
  await patient.context().close();
  return reply;
});
const editApproved = once(async () => {
  await replyEdited();
  const moderator = await signedIn(MODERATOR, 1280, 800);
  await moderator.goto("/moderation?show=edits");
  await moderator
    .getByRole("article")
    .filter({ hasText: "Six weeks" })
    .getByRole("button", { name: /^Approve edit/ })
    .click();
  await moderator.waitForURL(/\/moderation\?notice=edit-approved/);
  await moderator.context().close();
});

describe("lists people look for", () => {
  type Row = { id: number; title: string; kind: string; createdAt: Date; lastActivityAt: Date; answeredAt: Date | null };
  const byActivity = (a: Row, b: Row) => b.lastActivityAt.getTime() - a.lastActivityAt.getTime() || b.id - a.id;
  const byNewest = (a: Row, b: Row) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;
  const unanswered = (t: Row) => t.kind === "QUESTION" && t.answeredAt === null;
  const publicThreads = async (categorySlug?: string): Promise<Row[]> =>
    e2e.t.db.thread.findMany({
      where: { status: "APPROVED", withdrawnAt: null, ...(categorySlug ? { category: { slug: categorySlug } } : {}) },
      select: { id: true, title: true, kind: true, createdAt: true, lastActivityAt: true, answeredAt: true },
    });

  for (const [width, height] of WIDTHS) {
    it(
      `home links to Latest and Unanswered; both list in the database's order and page on, at ${width} px`,
      async () => {
        const page = await newPage({ width, height });
        await page.goto("/");
        await checkPage(page, "home-lists", width);
        const all = await publicThreads();
        const expected = {
          Latest: [...all].sort(byActivity).map((t) => t.title),
          Unanswered: all
            .filter(unanswered)
            .sort(byNewest)
            .map((t) => t.title),
        };
        for (const name of ["Latest", "Unanswered"] as const) {
          await page.goto("/");
          await page.getByRole("main").getByRole("link", { name, exact: true }).click();
          await page.waitForURL(new RegExp(`/${name.toLowerCase()}$`));
          await expect(page.getByRole("heading", { level: 1, name }).isVisible()).resolves.toBe(true);
          expect(expected[name].length).toBeGreaterThan(PER_PAGE); // enough for a second page
          await expect(listTitles(page)).resolves.toEqual(expected[name].slice(0, PER_PAGE));
          await checkPage(page, `list-${name.toLowerCase()}`, width);

          // "Older →" goes to page 2, which holds the rest; page 1 is marked as the current one no longer.
          await page.getByRole("navigation", { name: "Pages of this list" }).locator('a[rel="next"]').click();
          await page.waitForURL(new RegExp(`/${name.toLowerCase()}\\?page=2$`));
          await expect(listTitles(page)).resolves.toEqual(expected[name].slice(PER_PAGE, 2 * PER_PAGE));
          await expect(page.locator('.pagination [aria-current="page"]').textContent()).resolves.toBe("2");
          await expect(page.locator('.pagination a[rel="prev"]').getAttribute("href")).resolves.toBe(`/${name.toLowerCase()}`);
          await checkPage(page, `list-${name.toLowerCase()}-page-2`, width);

          // Past the last page: a page that says so and leads back, not an error.
          const past = await page.goto(`/${name.toLowerCase()}?page=50`);
          expect(past?.status()).toBe(200);
          await expect(page.getByText("There is nothing on this page.").isVisible()).resolves.toBe(true);
          await expect(page.getByRole("link", { name: "Back to the first page" }).getAttribute("href")).resolves.toBe(
            `/${name.toLowerCase()}`,
          );
          // A page that is not a number is a clear 400.
          expect((await page.goto(`/${name.toLowerCase()}?page=two`))?.status()).toBe(400);
        }
      },
      SLOW,
    );

    it(
      `a category's order control changes what is listed, as the database says, at ${width} px`,
      async () => {
        const slug = "support";
        const rows = await publicThreads(slug);
        const expected = {
          activity: [...rows].sort(byActivity).map((t) => t.title),
          newest: [...rows].sort(byNewest).map((t) => t.title),
          unanswered: rows
            .filter(unanswered)
            .sort(byNewest)
            .map((t) => t.title),
        };
        // The three orders differ on their first page, so a control that did nothing would fail here.
        expect(expected.activity.slice(0, PER_PAGE)).not.toEqual(expected.newest.slice(0, PER_PAGE));
        expect(expected.unanswered).not.toContain("How do you get through the waiting after another loss?");
        expect(expected.newest).toContain("How do you get through the waiting after another loss?");

        const page = await newPage({ width, height });
        await page.goto(`/c/${slug}`);
        const control = page.getByRole("navigation", { name: "Order of this category" });
        for (const [sort, label] of [
          ["newest", "Newest"],
          ["unanswered", "Unanswered"],
          ["activity", "Latest activity"],
        ] as const) {
          await control.getByRole("link", { name: label, exact: true }).click();
          await page.waitForURL(new RegExp(sort === "activity" ? `/c/${slug}$` : `/c/${slug}\\?sort=${sort}$`));
          await expect(control.locator('[aria-current="true"]').textContent()).resolves.toBe(label);
          await expect(listTitles(page)).resolves.toEqual(expected[sort].slice(0, PER_PAGE));
          // Page 2 keeps the order.
          await page.getByRole("navigation", { name: "Pages of this category" }).locator('a[rel="next"]').click();
          await page.waitForURL(/[?&]page=2$/);
          expect(new URL(page.url()).searchParams.get("sort")).toBe(sort === "activity" ? null : sort);
          await expect(listTitles(page)).resolves.toEqual(expected[sort].slice(PER_PAGE, 2 * PER_PAGE));
          await page.goBack();
          await checkPage(page, `category-sort-${sort}`, width);
        }
        // An order that does not exist is the default one, not an error.
        expect((await page.goto(`/c/${slug}?sort=oldest`))?.status()).toBe(200);
        await expect(listTitles(page)).resolves.toEqual(expected.activity.slice(0, PER_PAGE));
      },
      SLOW,
    );
  }
});

describe("a search that forgives typing", () => {
  const HEPARIN_THREAD = "Antiphospholipid syndrome confirmed: aspirin and heparin next time?";
  for (const [width, height] of WIDTHS) {
    it(
      `"heprin" offers "Did you mean heparin?", which finds results; "hepar" finds them as it is typed, at ${width} px`,
      async () => {
        const page = await newPage({ width, height });
        const box = page.getByRole("searchbox", { name: "Search questions, answers and articles" }).first();
        await page.goto("/");
        await box.fill("heprin");
        await box.press("Enter");
        await page.waitForURL(/\/search\?q=heprin/);
        const offer = page.locator("p.did-you-mean");
        await expect(offer.textContent()).resolves.toBe("Did you mean heparin?");
        await checkPage(page, "search-did-you-mean", width);
        await offer.getByRole("link", { name: "heparin" }).click();
        await page.waitForURL(/\/search\?q=heparin$/);
        await expect(page.getByRole("heading", { level: 2, name: /^\d+ results?$/ }).textContent()).resolves.not.toBe("0 results");
        await expect(page.locator("ol.search-results h3").filter({ hasText: HEPARIN_THREAD }).count()).resolves.toBe(1);
        await expect(page.locator("p.did-you-mean").count()).resolves.toBe(0);
        await checkPage(page, "search-suggestion-followed", width);

        // Words around the typo are kept as typed; only the unknown one is corrected.
        await page.goto(`/search?q=${encodeURIComponent("aspirin and heprin")}`);
        await expect(page.locator("p.did-you-mean").textContent()).resolves.toBe("Did you mean aspirin and heparin?");

        // A last word still being typed matches as a prefix: results at once, nothing to correct.
        await page.goto("/search?q=hepar");
        await expect(page.locator("ol.search-results h3").filter({ hasText: HEPARIN_THREAD }).count()).resolves.toBe(1);
        await expect(page.locator("ol.search-results mark").first().textContent()).resolves.toMatch(/^heparin$/i);
        await expect(page.locator("p.did-you-mean").count()).resolves.toBe(0);
        await checkPage(page, "search-prefix", width);

        // A word no public post holds or resembles is offered nothing.
        await page.goto("/search?q=zzqxv");
        await expect(page.locator("p.did-you-mean").count()).resolves.toBe(0);
        await expect(page.getByText("Nothing matched.").isVisible()).resolves.toBe(true);
      },
      SLOW,
    );
  }
});

describe("notifications that say what they are about", () => {
  for (const [width, height] of WIDTHS) {
    it(
      `the patient's list names the approved question and links to it, at ${width} px`,
      async () => {
        const threadId = await approvedQuestion();
        const page = await signedIn(PATIENT, width, height);
        await page.goto("/notifications");
        const line = page.getByRole("link", { name: `Your question “${APPROVED}” was approved and is now public`, exact: true });
        await expect(line.isVisible()).resolves.toBe(true);
        await checkPage(page, "notifications-titled", width);
        // The title is filled in when the list is shown: the line stored without it names nothing.
        const stored = await e2e.t.db.notification.findFirstOrThrow({ where: { threadId, kind: "DECISION" } });
        expect(stored.message).toBe("Your question was approved and is now public");
        await line.click();
        await page.waitForURL(new RegExp(`/t/${threadId}(/|$)`));
        await expect(page.getByRole("heading", { level: 1, name: APPROVED }).isVisible()).resolves.toBe(true);
      },
      SLOW,
    );
  }
});

describe("the physician inbox", () => {
  for (const [width, height] of WIDTHS) {
    it(
      `urgent first, then addressed, then followed, then the rest; oldest first in each; with excerpts, at ${width} px`,
      async () => {
        const db = e2e.t.db;
        const me = await db.user.findUniqueOrThrow({ where: { email: PHYSICIAN }, include: { physicianProfile: true } });
        const followed = new Set(me.physicianProfile?.categoryIds ?? []);
        const waiting = await db.thread.findMany({
          where: {
            status: "APPROVED",
            kind: "QUESTION",
            withdrawnAt: null,
            answeredAt: null,
            lockedAt: null,
            authorId: { not: me.id },
            dismissals: { none: { userId: me.id } },
          },
          select: { id: true, title: true, body: true, urgent: true, addressedToId: true, categoryId: true, createdAt: true },
        });
        const group = (t: (typeof waiting)[number]) => (t.urgent ? 0 : t.addressedToId === me.id ? 1 : followed.has(t.categoryId) ? 2 : 3);
        const expected = [...waiting].sort((a, b) => group(a) - group(b) || a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
        expect(new Set(expected.map(group)).size).toBe(4); // every group has at least one question

        const page = await signedIn(PHYSICIAN, width, height);
        await page.goto("/inbox");
        const items = page.locator("ol.notification-list > li");
        const shown = await items.evaluateAll((lis) =>
          lis.map((li) => ({
            title: li.querySelector(":scope > a")?.textContent ?? "",
            excerpt: li.querySelector(".excerpt")?.textContent ?? "",
            urgent: li.querySelector(".tag-urgent")?.textContent ?? null,
            asked: li.querySelector("time")?.getAttribute("datetime") ?? "",
          })),
        );
        expect(shown.map((s) => s.title)).toEqual(expected.map((t) => t.title));
        for (const [i, s] of shown.entries()) {
          const t = expected[i] as (typeof expected)[number];
          expect(s.asked).toBe(t.createdAt.toISOString());
          expect(s.urgent, t.title).toBe(t.urgent ? "Urgent" : null);
          expect(s.excerpt.length, t.title).toBeGreaterThan(0);
          expect(t.body.startsWith(s.excerpt.replace(/…$/, "").trimEnd()), t.title).toBe(true);
        }
        // "Oldest first" within each group, by the dates on the page.
        for (let g = 0; g < 4; g++) {
          const dates = shown.filter((_, i) => group(expected[i] as (typeof expected)[number]) === g).map((s) => Date.parse(s.asked));
          expect(dates).toEqual([...dates].sort((a, b) => a - b));
        }
        await checkPage(page, "inbox-order", width);
      },
      SLOW,
    );
  }
});

describe("each post state by its name", () => {
  const LABELS = {
    pending: "Awaiting moderation",
    changes: "Changes requested",
    APPROVED: "Published",
    REJECTED: "Rejected",
    HIDDEN: "Hidden by a moderator",
  } as const;
  type Post = { status: keyof typeof LABELS | "PENDING"; changesRequestedAt: Date | null; withdrawnAt?: Date | null };
  const label = (p: Post) =>
    p.withdrawnAt ? "Withdrawn" : p.status === "PENDING" ? LABELS[p.changesRequestedAt ? "changes" : "pending"] : LABELS[p.status];
  const typicalWait = async (page: Page) =>
    /Typical wait for a moderator's decision: (.+?) \(the median over the last 30 days\)/.exec(
      (await page.locator(".status-pending").first().textContent()) ?? "",
    )?.[1];

  for (const [width, height] of WIDTHS) {
    it(
      `the account page names every state; the thread, the edit page and the account agree on the wait, at ${width} px`,
      async () => {
        await sentBackForChanges();
        const db = e2e.t.db;
        const me = await db.user.findUniqueOrThrow({ where: { email: PATIENT } });
        const threads = await db.thread.findMany({ where: { authorId: me.id } });
        const replies = await db.reply.findMany({ where: { authorId: me.id } });
        // Among them: published, awaiting moderation, changes requested, rejected.
        expect(new Set(threads.map(label))).toEqual(new Set(["Published", "Awaiting moderation", "Changes requested", "Rejected"]));

        const page = await signedIn(PATIENT, width, height);
        await page.goto("/account");
        const mine = await page
          .locator("#questions-heading + ul.my-posts > li")
          .evaluateAll((lis) =>
            lis.map((li) => ({ title: li.querySelector("a")?.textContent ?? "", state: li.querySelector(".state")?.textContent ?? "" })),
          );
        expect(mine.map((p) => [p.title, p.state]).sort()).toEqual(threads.map((t) => [t.title, label(t)]).sort());
        const myReplies = await page.locator("#my-replies-heading + ul.my-posts .state").allTextContents();
        expect(myReplies.sort()).toEqual(replies.map(label).sort());
        const text = (await page.getByRole("main").textContent()) ?? "";
        expect(text).not.toMatch(/\b(PENDING|APPROVED|REJECTED|HIDDEN)\b/);
        const sentBack = page.locator("ul.my-posts > li").filter({ hasText: SENT_BACK });
        await expect(sentBack.getByText("A moderator asked for changes.").first().isVisible()).resolves.toBe(true);
        await expect(sentBack.locator(".moderator-note").textContent()).resolves.toBe(
          "Moderator's note: Please add how thick the lining was, in millimetres.",
        );
        await checkPage(page, "account-states", width);
        const onAccount = await page
          .locator("ul.my-posts > li")
          .filter({ hasText: "Is prednisolone during the two-week wait worth it?" })
          .locator(".status-pending")
          .textContent();

        // One pending question, three pages: the same typical wait, measured from the real queue.
        const pending = threads.find((t) => t.status === "PENDING" && !t.changesRequestedAt) as (typeof threads)[number];
        await page.goto(`/t/${pending.id}`);
        const onThread = await typicalWait(page);
        await checkPage(page, "thread-awaiting-moderation", width);
        await page.goto(`/t/${pending.id}/edit`);
        const onEdit = await typicalWait(page);
        await checkPage(page, "edit-awaiting-moderation", width);
        const measured = describeWait((await measureTypicalWait(db)).seconds);
        expect(onThread).toBeDefined();
        expect(onThread).toBe(measured);
        expect(onEdit).toBe(onThread);
        expect(onAccount).toContain(`Typical wait for a moderator's decision: ${onThread} (`);
      },
      SLOW,
    );
  }
});

describe("the moderation log and the edits view", () => {
  for (const [width, height] of WIDTHS) {
    it(
      `the edits view marks the words an edit changes, at ${width} px`,
      async () => {
        const reply = await replyEdited();
        const page = await signedIn(MODERATOR, width, height);
        await page.goto("/moderation?show=edits");
        const edit = page.getByRole("article").filter({ hasText: "Six weeks" });
        const diff = edit.getByRole("region", { name: "What the edit changes" });
        // Word level: only "Five" is removed and only "Six" added; the rest of the reply is unmarked.
        const marked = (selector: string) =>
          diff.locator(selector).evaluateAll((els) =>
            els.map((e) =>
              [...e.childNodes]
                .filter((n) => !(n instanceof HTMLElement && n.classList.contains("visually-hidden")))
                .map((n) => n.textContent)
                .join("")
                .trim(),
            ),
          );
        await expect(marked("del")).resolves.toEqual(["Five"]);
        await expect(marked("ins")).resolves.toEqual(["Six"]);
        const unmarked = await diff.locator(".word-diff-text").evaluate((p) =>
          [...p.childNodes]
            .filter((n) => n.nodeType === Node.TEXT_NODE)
            .map((n) => n.textContent)
            .join(""),
        );
        expect(unmarked.trim()).toBe(reply.body.replace("Five", "").trim());
        // Screen readers hear what changed in words, as <ins> and <del> are not announced.
        await expect(diff.locator("del .visually-hidden").first().textContent()).resolves.toBe("[removed: ");
        // The demo question's edit adds a sentence: that sentence alone is marked.
        const added = page.getByRole("article").filter({ hasText: "my thyroid tests came back normal" });
        const insertions = await added
          .getByRole("region", { name: "What the edit changes" })
          .locator("ins")
          .evaluateAll((els) => els.map((e) => e.textContent?.replace(/\[added: |\]/g, "") ?? "").join(""));
        expect(insertions.trim()).toBe("Update: my thyroid tests came back normal.");
        await expect(added.getByRole("region", { name: "What the edit changes" }).locator("del").count()).resolves.toBe(0);
        await checkPage(page, "moderation-edits-diff", width);
      },
      SLOW,
    );
  }

  for (const [width, height] of WIDTHS) {
    it(
      `the log names posts by title with links, actions in words, newest first, and fits ${width} px`,
      async () => {
        await sentBackForChanges();
        await approvedQuestion();
        await editApproved();
        const page = await signedIn(MODERATOR, width, height);
        await page.goto("/moderation/log");
        const entries = await page.locator("ol.log-entries > li").evaluateAll((lis) =>
          lis.map((li) => {
            const what = li.querySelector(".log-what") as HTMLElement;
            const actor = what.querySelector("strong")?.textContent ?? "";
            return {
              when: li.querySelector(".log-when time")?.getAttribute("datetime") ?? "",
              text: (what.textContent ?? "").replace(/\s+/g, " ").trim().slice(actor.length).trim(),
              link: what.querySelector("a")?.getAttribute("href") ?? null,
            };
          }),
        );
        const logged = await e2e.t.db.moderationLog.count();
        expect(entries.length).toBe(Math.min(logged, 50));
        // Newest first, by date and time.
        const times = entries.map((e) => Date.parse(e.when));
        expect(times.every(Number.isFinite)).toBe(true);
        expect(times).toEqual([...times].sort((a, b) => b - a));
        // Actions in words: every entry starts with one of the log's phrases; no internal names, no "reply #28".
        const phrases = Object.values(ACTION_WORDS).sort((a, b) => b.length - a.length);
        for (const e of entries) {
          expect(
            phrases.some((p) => e.text.startsWith(`${p} `)),
            e.text,
          ).toBe(true);
          expect(e.text).not.toMatch(/#\d|\b(THREAD|REPLY|request-changes|approve-edit)\b/);
          expect(e.link, e.text).not.toBeNull();
        }
        const texts = entries.map((e) => e.text);
        expect(texts).toContain(`requested changes to question “${SENT_BACK}”`);
        expect(texts).toContain(`approved question “${APPROVED}”`);
        expect(texts.some((t) => t.startsWith("approved an edit of reply in “My TNF-alpha"))).toBe(true);
        // The title links to its post.
        const sentBack = await e2e.t.db.thread.findFirstOrThrow({ where: { title: SENT_BACK } });
        expect(entries.find((e) => e.text.includes(SENT_BACK))?.link).toMatch(new RegExp(`^/t/${sentBack.id}/`));
        await checkPage(page, "moderation-log-words", width);
        if (width === 390) {
          // The log itself fits a phone: no box inside it scrolls sideways either.
          const widest = await page
            .locator("ol.log-entries")
            .evaluate((ol) => Math.max(ol.scrollWidth, ...[...ol.querySelectorAll("*")].map((e) => e.getBoundingClientRect().right)));
          expect(widest).toBeLessThanOrEqual(390);
          await page.screenshot({ path: join(SHOTS, "moderation-log-phone-390.png"), fullPage: true });
        }
      },
      SLOW,
    );
  }
});

describe("physician profiles", () => {
  for (const [width, height] of WIDTHS) {
    it(
      `name the registry once, and count exactly the questions they list, at ${width} px`,
      async () => {
        const page = await newPage({ width, height });
        for (const handle of ["amara-nwosu", "tomas-varga"]) {
          const profile = await e2e.t.db.physicianProfile.findUniqueOrThrow({ where: { handle } });
          await page.goto(`/physicians/${handle}`);
          const badge = page.getByRole("region", { name: "How this badge was checked" });
          const said = (await badge.textContent()) ?? "";
          expect(said).toContain(profile.registryName as string);
          expect(said.split(profile.jurisdiction).length - 1, said).toBe(1);
          expect(said, said).not.toMatch(/(\S.{3,}) \(\1\)/);

          const answered = await e2e.t.db.thread.count({
            where: {
              kind: "QUESTION",
              status: "APPROVED",
              withdrawnAt: null,
              replies: { some: { authorId: profile.userId, status: "APPROVED" } },
            },
          });
          expect(answered).toBeGreaterThan(0);
          const meta = (await page.getByRole("main").locator("p.meta").first().textContent()) ?? "";
          const count = Number(/(\d+) questions? answered/.exec(meta)?.[1]);
          expect(count).toBe(answered);
          const listed = page.getByRole("region", { name: "Questions answered" }).getByRole("listitem");
          await expect(listed.count()).resolves.toBe(Math.min(answered, PER_PAGE));
          await checkPage(page, `physician-profile-${handle}`, width);
        }
      },
      SLOW,
    );
  }
});

describe("a verification that is not checked again in time", () => {
  for (const [width, height] of WIDTHS) {
    it(
      `is overdue to moderators, lapses after the grace period, and a re-check restores it, at ${width} px`,
      async () => {
        const db = e2e.t.db;
        const physician = await createUser(db, "physician");
        const { handle, fullName } = await db.physicianProfile.update({
          where: { userId: physician.id },
          data: { reverifyBy: new Date(Date.now() - 10 * DAY) },
          select: { handle: true, fullName: true },
        });
        const moderator = await signedIn(MODERATOR, width, height);
        await moderator.goto(`/physicians/${handle}`);
        await expect(moderator.getByRole("main").textContent()).resolves.toContain("this licence was due for a new check");
        await checkPage(moderator, "physician-overdue-staff", width);
        await moderator.goto("/moderation?show=applications");
        await expect(moderator.getByRole("main").textContent()).resolves.toMatch(new RegExp(`${fullName}, MD — overdue`));

        await db.physicianProfile.update({ where: { userId: physician.id }, data: { reverifyBy: new Date(Date.now() - 40 * DAY) } });
        await lapseOverdueVerifications(db);
        const reader = await newPage({ width, height });
        await reader.goto(`/physicians/${handle}`);
        const main = (await reader.getByRole("main").textContent()) ?? "";
        expect(main).toContain("Verification lapsed");
        await expect(reader.getByRole("link", { name: `Ask Dr. ${fullName} a question` }).count()).resolves.toBe(0);
        await checkPage(reader, "physician-lapsed", width);

        // The moderator records a new check in the browser: the badge is back.
        await moderator.goto(`/moderation/users/${physician.id}`);
        const form = moderator.getByRole("form", { name: "Record a new check of the licence" });
        await form.getByLabel("Registry reference").fill("TMR-checked-again");
        await form.getByLabel("Check again by").fill(new Date(Date.now() + 365 * DAY).toISOString().slice(0, 10));
        await checkPage(moderator, "member-recheck", width);
        await form.getByRole("button", { name: "Record the check" }).click();
        await moderator.waitForURL(/notice=rechecked/);
        await reader.goto(`/physicians/${handle}`);
        await expect(reader.getByRole("link", { name: `Ask Dr. ${fullName} a question` }).count()).resolves.toBe(1);
      },
      SLOW,
    );
  }
});

describe("references that say which line is wrong", () => {
  for (const [width, height] of WIDTHS) {
    it(
      `an article and an answer with a bad PubMed ID come back naming the line, with the text kept, at ${width} px`,
      async () => {
        const page = await signedIn(PHYSICIAN, width, height);
        const title = `Aspirin before conception, written at ${width} px`;
        const body = [
          "Low-dose aspirin is often started before conception in women with antiphospholipid syndrome.",
          "Here is what the trials found, what they did not, and the questions worth asking your clinic before you start.",
        ].join(" ");
        const references = "PMID: 36873081 ESHRE guideline 2022\nPMID: 012 A mistyped entry\ndoi:10.1093/hropen/hoad002";
        await page.goto("/articles/new");
        await page.getByLabel("Title").fill(title);
        await page.getByLabel("Category").selectOption({ label: "Recurrent pregnancy loss" });
        await page.getByLabel("The article").fill(body);
        await page.getByLabel("References (optional)").fill(references);
        await page.getByRole("button", { name: "Publish article" }).click();
        const error = page.locator("#references-error");
        await expect(error.textContent()).resolves.toMatch(/^Reference on line 2: “PMID:012” is not a DOI or a PubMed ID\./);
        // The reference line is the only thing wrong: the rest of the article would have been accepted.
        await expect(page.locator("#error-summary li").allTextContents()).resolves.toEqual([
          expect.stringMatching(/^Reference on line 2: /),
        ]);
        await expect(page.getByLabel("References (optional)").inputValue()).resolves.toBe(references);
        await expect(page.getByLabel("Title").inputValue()).resolves.toBe(title);
        await expect(page.getByLabel("The article").inputValue()).resolves.toBe(body);
        await expect(page.getByLabel("References (optional)").getAttribute("aria-invalid")).resolves.toBe("true");
        await checkPage(page, "article-bad-reference", width);
        expect(await e2e.t.db.thread.count({ where: { title } })).toBe(0);

        // An answer: nine digits are too many for a PubMed ID; the blank line still counts.
        const question = await e2e.t.db.thread.findFirstOrThrow({ where: { title: { startsWith: "Lupus in remission" } } });
        const answer = `Hydroxychloroquine is usually continued in pregnancy (checked at ${width} px).`;
        const cited = "doi:10.1093/hropen/hoad002\n\nPMID: 123456789 Too long to be a PubMed ID";
        await page.goto(`/t/${question.id}`);
        await page.getByLabel("Your reply").fill(answer);
        await page.getByLabel("References (optional)").fill(cited);
        await page.getByRole("button", { name: "Post reply" }).click();
        await expect(page.locator("#references-error").textContent()).resolves.toMatch(
          /^Reference on line 3: “PMID:123456789” is not a DOI or a PubMed ID\./,
        );
        await expect(page.getByLabel("Your reply").inputValue()).resolves.toBe(answer);
        await expect(page.getByLabel("References (optional)").inputValue()).resolves.toBe(cited);
        await checkPage(page, "answer-bad-reference", width);
        expect(await e2e.t.db.reply.count({ where: { body: answer } })).toBe(0);
      },
      SLOW,
    );
  }
});
