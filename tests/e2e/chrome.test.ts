// In Chromium, the frame around every page (issue #25): the header for every role at 390 and 1280 px, its menu
// without JavaScript and by keyboard, the search box, local times, sign-up that keeps where the person was
// going, and axe in the dark colour scheme on every page type. Header screenshots go to screenshots/.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, seedDemo } from "../../src/db/seed.ts";
import { type E2E, expectAccessible, joinByMail, signIn, startE2E } from "./browser.ts";

let e2e: E2E;
const SHOTS = join(import.meta.dirname, "screenshots");

beforeAll(async () => {
  e2e = await startE2E();
  await seedDemo(e2e.t.db);
  await mkdir(SHOTS, { recursive: true });
}, 120_000);
afterAll(() => e2e?.close());

async function newPage(options?: Parameters<E2E["context"]>[0]): Promise<Page> {
  return (await e2e.context(options)).newPage();
}

const ROLES: [string, string | null][] = [
  ["signed-out", null],
  ["patient", "patient@example.com"],
  ["physician", "physician@example.com"],
  ["moderator", "moderator@example.com"],
  ["admin", "admin@example.com"],
];
const WIDTHS = [
  [390, 844],
  [1280, 800],
] as const;

/** The header's height, and how many rows its items sit on (tops more than 8 px apart start a new row). */
async function headerLayout(page: Page) {
  return page.evaluate(() => {
    const header = document.querySelector(".site-header") as HTMLElement;
    const items = [...document.querySelectorAll(".header-bar > *")].filter((e) => (e as HTMLElement).offsetParent !== null);
    const centres = items.map((e) => {
      const r = e.getBoundingClientRect();
      return Math.round(r.top + r.height / 2);
    });
    const rows = centres.sort((a, b) => a - b).filter((c, i, all) => i === 0 || c - (all[i - 1] as number) > 8).length;
    return { height: header.getBoundingClientRect().height, rows, overflows: document.documentElement.scrollWidth > window.innerWidth };
  });
}

describe("the header, for every role", () => {
  for (const [width, height] of WIDTHS) {
    it(`fits at ${width} px: at most 100 px tall on a phone, one row on a desktop, axe clean with the menu open`, async () => {
      const heights: string[] = [];
      for (const [role, email] of ROLES) {
        const page = await newPage({ width, height });
        if (email) await signIn(page, email, DEMO_PASSWORD);
        await page.goto("/");
        const layout = await headerLayout(page);
        heights.push(`${role} ${layout.height}px, ${layout.rows} row(s)`);
        expect(layout.overflows, role).toBe(false);
        if (width === 390) {
          expect(layout.height, role).toBeLessThanOrEqual(100);
          expect(layout.rows, role).toBe(2); // brand, Ask and Menu; then the search box
        } else {
          expect(layout.rows, role).toBe(1);
          expect(layout.height, role).toBeLessThanOrEqual(72);
        }
        await expect(page.getByRole("link", { name: "Ask a question" }).first().isVisible()).resolves.toBe(true);
        await expect(page.getByRole("searchbox", { name: "Search questions, answers and articles" }).isVisible()).resolves.toBe(true);
        await page.locator(".site-header").screenshot({ path: join(SHOTS, `header-${role}-${width}.png`) });
        if (!email && width === 1280) {
          // Signed out on a desktop everything is inline: no menu to open.
          await expect(page.locator(".site-menu").isVisible()).resolves.toBe(false);
          for (const name of ["Physicians", "Articles", "Sign in", "Join"]) {
            await expect(page.getByRole("banner").getByRole("link", { name, exact: true }).isVisible(), name).resolves.toBe(true);
          }
          await expectAccessible(page);
          await page.context().close();
          continue;
        }
        await page.locator(".site-menu > summary").click();
        await expect(page.getByRole("navigation", { name: "Main" }).isVisible()).resolves.toBe(true);
        await page.screenshot({ path: join(SHOTS, `header-${role}-${width}-menu.png`), clip: { x: 0, y: 0, width, height: 480 } });
        await expectAccessible(page);
        await page.context().close();
      }
      console.log(`header at ${width} px: ${heights.join("; ")}`);
    }, 400_000); // Five sign-ins and five axe runs: about three minutes on a machine at load 20.
  }

  it("the menu opens and works without JavaScript", async () => {
    const page = await newPage({ width: 390, height: 844, javaScriptEnabled: false });
    await signIn(page, "moderator@example.com", DEMO_PASSWORD);
    await page.goto("/");
    const menu = page.getByRole("navigation", { name: "Main" });
    await expect(menu.isVisible()).resolves.toBe(false);
    await page.getByText("Menu", { exact: true }).click();
    await expect(menu.isVisible()).resolves.toBe(true);
    await menu.getByRole("link", { name: "Moderation" }).click();
    await page.waitForURL(/\/moderation$/);
    // Signing out is a form inside the menu, and works too.
    await page.getByText("Menu", { exact: true }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await expect(page.getByRole("link", { name: "Sign in" }).first().isVisible()).resolves.toBe(false); // in the closed menu
    await page.getByText("Menu", { exact: true }).click();
    await expect(page.getByRole("link", { name: "Sign in" }).first().isVisible()).resolves.toBe(true);
  });

  it("the menu works with the keyboard alone, with visible focus, and Escape closes it", async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, "admin@example.com", DEMO_PASSWORD);
    await page.goto("/");
    const summary = page.locator(".site-menu > summary");
    for (let i = 0; i < 10 && !(await summary.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(summary.evaluate((e) => e === document.activeElement)).resolves.toBe(true);
    await expect(summary.evaluate((e) => getComputedStyle(e).outlineStyle)).resolves.toBe("solid");
    await page.keyboard.press("Enter");
    await expect(page.locator(".site-menu").evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(true);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(focused).toBe("Physicians"); // on a phone the menu holds the sections the wide header shows inline
    await page.keyboard.press("Escape");
    await expect(page.locator(".site-menu").evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(false);
    await expect(summary.evaluate((e) => e === document.activeElement)).resolves.toBe(true);
  });
});

describe("search from every page", () => {
  for (const [width, height] of WIDTHS) {
    it(`the header's box searches at ${width} px; the search page has one full-width box; inputs are styled`, async () => {
      const page = await newPage({ width, height });
      await page.goto("/physicians");
      const box = page.getByRole("searchbox", { name: "Search questions, answers and articles" });
      await box.fill("NK cells");
      await box.press("Enter");
      await page.waitForURL(/\/search\?q=NK\+cells/);
      await expect(page.getByRole("heading", { name: "Search", exact: true }).isVisible()).resolves.toBe(true);
      await expect(page.locator("#site-search").count()).resolves.toBe(0);
      const field = await page.locator("#q").evaluate((e) => {
        const main = (document.querySelector("main") as HTMLElement).getBoundingClientRect();
        const style = getComputedStyle(e);
        return { width: e.getBoundingClientRect().width, main: main.width, font: style.fontSize, radius: style.borderRadius };
      });
      expect(field.font).toBe("16px");
      expect(field.width).toBeGreaterThan(field.main - 40);
      await page.screenshot({ path: join(SHOTS, `search-${width}.png`) });

      // Date and number inputs as every other field: 16 px text, our border.
      const staff = await newPage({ width, height });
      await signIn(staff, "admin@example.com", DEMO_PASSWORD);
      for (const [path, selector] of [
        ["/moderation/log", 'input[type="date"]'],
        ["/admin/settings", 'input[type="number"]'],
      ] as const) {
        await staff.goto(path);
        const style = await staff
          .locator(selector)
          .first()
          .evaluate((e) => ({ font: getComputedStyle(e).fontSize, radius: getComputedStyle(e).borderRadius }));
        expect(style, path).toEqual({ font: "16px", radius: "8px" });
      }
    }, 120_000);
  }
});

describe("local times", () => {
  it("with JavaScript, times are in the reader's zone; without, in UTC and labelled so", async () => {
    const local = await newPage({ width: 390, height: 844, timezoneId: "America/New_York" });
    await local.goto("/t/1");
    const first = local.locator("time[data-local='datetime']").first();
    const datetime = (await first.getAttribute("datetime")) as string;
    // The page's own form, in New York's time: "1 December 2026 at 19:05 UTC−5" (UTC−4 in summer).
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", {
        day: "numeric",
        month: "long",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        timeZoneName: "shortOffset",
        timeZone: "America/New_York",
      })
        .formatToParts(new Date(datetime))
        .map((p) => [p.type, p.value]),
    );
    const offset = (parts.timeZoneName as string).replace("GMT", "UTC").replace("-", "\u2212");
    const expected = `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute} ${offset}`;
    await expect(first.textContent()).resolves.toBe(expected);
    await expect(first.getAttribute("title")).resolves.toMatch(/ UTC$/);

    const plain = await newPage({ width: 1280, height: 800, javaScriptEnabled: false, timezoneId: "America/New_York" });
    await plain.goto("/t/1");
    const times = await plain.locator("time[data-local='datetime']").allTextContents();
    expect(times.length).toBeGreaterThan(0);
    for (const text of times) expect(text).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d UTC$/);
  });
});

describe("sign-up keeps the goal", () => {
  for (const [width, height] of WIDTHS) {
    it(`Ask → Sign in → Join → confirm lands on /ask, at ${width} px`, async () => {
      const page = await newPage({ width, height });
      await page.goto("/ask");
      await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
      await expect(page.getByText("Sign in to ask your question.").isVisible()).resolves.toBe(true);
      await expectAccessible(page);
      await page.getByRole("link", { name: "Join Curbside" }).click();
      await page.waitForURL(/\/signup\?next=%2Fask$/);
      await joinByMail(e2e, page, {
        email: `goal.${width}@example.test`,
        password: "a goal kept through joining",
        pseudonym: `Goal ${width}`,
      });
      expect(new URL(page.url()).pathname).toBe("/ask");
      await expect(page.getByRole("heading", { name: "Ask a question" }).isVisible()).resolves.toBe(true);
    }, 120_000);
  }
});

describe("dark mode: axe on every page type", () => {
  const PAGES: [string, string, string | null][] = [
    ["home", "/", null],
    ["thread", "/t/1", null],
    ["category", "/c/reproductive-immunology", null],
    ["physicians", "/physicians", null],
    ["signup", "/signup", null],
    ["login", "/login?next=%2Fask", null],
    ["not-found", "/no/such/page", null],
    ["search", "/search?q=NK+cells", null],
    ["physician-profile", "/physicians/amara-nwosu", null],
    ["articles", "/articles?tag=nk%20cells", null],
    ["article-history", "/articles/2/history", null],
    ["report", "/replies/2/report", "patient@example.com"],
    ["edit-question", "/t/10/edit", "patient@example.com"],
    ["ask", "/ask", "patient@example.com"],
    ["account", "/account", "patient@example.com"],
    ["rejected-question", "/t/10", "patient@example.com"],
    ["notifications", "/notifications", "patient@example.com"],
    ["answer-as-patient", "/t/3", "patient@example.com"],
    ["moderation", "/moderation", "moderator@example.com"],
    ["moderation-log", "/moderation/log", "moderator@example.com"],
    ["moderation-edits", "/moderation?show=edits", "moderator@example.com"],
    ["edit-history", "/moderation/threads/1/history", "moderator@example.com"],
    ["edit-before-approving", "/moderation/threads/9/redact", "moderator@example.com"],
    ["settings", "/admin/settings", "admin@example.com"],
    ["inbox", "/inbox", "physician@example.com"],
    ["write-article", "/articles/new", "physician@example.com"],
    ["answer-as-physician", "/t/3", "physician@example.com"],
  ];
  // One test per group of pages and width, so that each has minutes of its own on a loaded machine.
  const GROUP = 7;
  for (const [width, height] of WIDTHS) {
    for (let from = 0; from < PAGES.length; from += GROUP) {
      const group = PAGES.slice(from, from + GROUP);
      it(`${group.map(([name]) => name).join(", ")} at ${width} px`, async () => {
        const pages = new Map<string | null, Page>();
        for (const [name, path, who] of group) {
          let page = pages.get(who);
          if (!page) {
            page = await newPage({ width, height, colorScheme: "dark" });
            if (who) await signIn(page, who, DEMO_PASSWORD);
            pages.set(who, page);
          }
          await page.goto(path);
          await expectAccessible(page);
          await page.screenshot({ path: join(SHOTS, `dark-${name}-${width}.png`), fullPage: true });
        }
      }, 240_000);
    }
  }
});
