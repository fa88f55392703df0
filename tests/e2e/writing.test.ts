// In a real browser: rich Markdown in an article, the preview (in place with JavaScript, as a page without it),
// and drafts kept on this device, at a phone's and a desktop's width, with axe on each page.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, seedDemo } from "../../src/db/seed.ts";
import { type E2E, expectAccessible, signIn, startE2E } from "./browser.ts";

let e2e: E2E;
const SHOTS = join(import.meta.dirname, "screenshots");
const WIDTHS = [390, 1280] as const;
const SLOW = 300_000;

const ARTICLE = [
  "Heparin is often offered after recurrent losses. This article explains what the trials found, and what they did not.",
  "",
  "## What the trials found",
  "",
  "> Low-molecular-weight heparin did not increase live births in women with unexplained recurrent loss.",
  "",
  "### Doses used in the trials",
  "",
  "| Drug | Daily dose | Started | Live births (treated vs control) |",
  "|:--|--:|:--|:-:|",
  "| Enoxaparin | 40 mg | Before 7 weeks | 71% vs 67% |",
  "| Dalteparin | 5000 IU | Before 7 weeks | 69% vs 70% |",
  "",
  "Ask your clinic whether your dose is written as `40 mg` or `4000 IU`:",
  "",
  "```",
  "enoxaparin 40 mg = 4000 IU anti-Xa",
  "```",
  "",
  "See the [ESHRE guideline](https://www.eshre.eu/) for more.",
].join("\n");

beforeAll(async () => {
  e2e = await startE2E();
  await seedDemo(e2e.t.db);
  await mkdir(SHOTS, { recursive: true });
}, SLOW);
afterAll(() => e2e?.close());

async function newPage(options?: Parameters<E2E["context"]>[0]): Promise<Page> {
  return (await e2e.context(options)).newPage();
}

/** Nothing on the page is wider than the viewport: no sideways scrolling of the whole page. */
async function expectNoPageScroll(page: Page, width: number) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(width);
}

describe("rich Markdown in an article, previewed in place, then published", () => {
  it(
    "shows headings, a quote, code and a table that scrolls in its own labelled box, at 390 and 1280 px",
    async () => {
      let articleUrl = "";
      for (const width of WIDTHS) {
        const page = await newPage({ width, height: 900 });
        await signIn(page, "physician@example.com", DEMO_PASSWORD);
        await page.goto("/articles/new");
        await expect(page.getByText("a draft is kept in this browser, on this device only").isVisible()).resolves.toBe(true);
        await page.getByLabel("Title").fill(`Heparin after recurrent loss, at ${width} px`);
        await page.getByLabel("Category").selectOption({ label: "Recurrent pregnancy loss" });
        await page.getByLabel("The article").fill(ARTICLE);

        // Preview in place: the page does not change, the text stays, the preview shows above the form.
        const before = page.url();
        await page.getByRole("button", { name: "Preview" }).click();
        const preview = page.locator("section.preview");
        await preview.waitFor();
        expect(page.url()).toBe(before);
        await expect(preview.getByRole("heading", { name: "What the trials found" }).isVisible()).resolves.toBe(true);
        await expect(preview.getByRole("region", { name: /^Table: Drug, Daily dose/ }).isVisible()).resolves.toBe(true);
        await expect(page.getByLabel("The article").inputValue()).resolves.toBe(ARTICLE);
        await expectAccessible(page);
        await expectNoPageScroll(page, width);
        await preview.screenshot({ path: join(SHOTS, `writing-preview-${width}.png`) });

        await page.getByRole("button", { name: "Publish article" }).click();
        await page.waitForURL((url) => url.pathname.startsWith("/t/"));
        articleUrl = new URL(page.url()).pathname;
        const body = page.locator(".thread .prose");
        await expect(body.getByRole("heading", { level: 2, name: "What the trials found" }).isVisible()).resolves.toBe(true);
        await expect(body.getByRole("heading", { level: 3, name: "Doses used in the trials" }).isVisible()).resolves.toBe(true);
        await expect(body.locator("blockquote").isVisible()).resolves.toBe(true);
        await expect(body.locator("pre code").textContent()).resolves.toContain("enoxaparin 40 mg = 4000 IU anti-Xa");
        await expect(body.locator("p code").first().textContent()).resolves.toBe("40 mg");
        const table = body.getByRole("region", { name: /^Table: Drug, Daily dose/ });
        await expect(table.getAttribute("tabindex")).resolves.toBe("0");
        await expect(body.getByText("##").count()).resolves.toBe(0);
        await expectAccessible(page);
        await expectNoPageScroll(page, width);
        await page.screenshot({ path: join(SHOTS, `writing-article-${width}.png`), fullPage: true });

        // A reader sees the same, signed out.
        const reader = await newPage({ width, height: 900 });
        await reader.goto(articleUrl);
        await expect(reader.locator(".thread .prose table").isVisible()).resolves.toBe(true);
        await expectAccessible(reader);
        await expectNoPageScroll(reader, width);
      }

      // The list's excerpt is plain text.
      const reader = await newPage();
      await reader.goto("/articles");
      const listText = (await reader.locator("main").textContent()) ?? "";
      expect(listText).toContain("Heparin is often offered after recurrent losses.");
      expect(listText).not.toMatch(/##|\*\*|\|/);
    },
    SLOW,
  );
});

describe("preview without JavaScript, on a reply", () => {
  it(
    "re-renders the thread with the preview above the form and the text kept (axe runs on the preview above)",
    async () => {
      for (const width of WIDTHS) {
        const page = await newPage({ javaScriptEnabled: false, width, height: 900 });
        await signIn(page, "patient@example.com", DEMO_PASSWORD);
        await page.goto("/articles");
        await page
          .getByRole("link", { name: /Heparin after recurrent loss/ })
          .first()
          .click();
        const text = "> What the trials found\n\nDoes this apply with **APS** too? My dose is `40 mg`.";
        await page.getByLabel("Your reply").fill(text);
        await page.getByRole("button", { name: "Preview" }).click();
        await page.locator("section.preview").waitFor();
        await expect(page.locator("section.preview blockquote").isVisible()).resolves.toBe(true);
        await expect(page.locator("section.preview strong").textContent()).resolves.toBe("APS");
        await expect(page.getByLabel("Your reply").inputValue()).resolves.toBe(text);
        // axe needs scripts, which this page has none of: the preview's accessibility is checked above, with them.
        await page.locator("#reply-form").screenshot({ path: join(SHOTS, `writing-preview-nojs-${width}.png`) });
      }
    },
    SLOW,
  );
});

describe("drafts live in this browser", () => {
  it(
    "restores a question after a reload, keeps it when the form comes back, and removes it once sent or on sign-out",
    async () => {
      for (const width of WIDTHS) {
        const page = await newPage({ width, height: 900 });
        await signIn(page, "patient@example.com", DEMO_PASSWORD);
        await page.goto("/ask");
        await expect(page.getByText("a draft is kept in this browser, on this device only").isVisible()).resolves.toBe(true);
        const title = `Heparin and a thin lining, asked at ${width} px`;
        const body = "My lining was 6 mm at the last transfer. Could **heparin** help, or is that unrelated?";
        await page.getByLabel("Title").fill(title);
        await page.getByLabel("Your question").fill(body);
        await page.getByLabel("Category").selectOption({ label: "IVF & implantation failure" });
        await page.waitForTimeout(600);

        await page.reload();
        await expect(page.getByLabel("Title").inputValue()).resolves.toBe(title);
        await expect(page.getByLabel("Your question").inputValue()).resolves.toBe(body);
        await expect(page.getByText("Your draft from this device was restored.").isVisible()).resolves.toBe(true);

        // The server sends the form back (a title too short): the draft stays.
        await page.getByLabel("Title").fill("Hi");
        await page.getByRole("button", { name: "Send for review" }).click();
        await page.locator("#error-summary").waitFor();
        await page.goto("/ask");
        await expect(page.getByLabel("Your question").inputValue()).resolves.toBe(body);

        await page.getByLabel("Title").fill(title);
        await page.getByRole("button", { name: "Send for review" }).click();
        await page.waitForURL((url) => url.pathname.startsWith("/t/"));
        await page.goto("/ask");
        await expect(page.getByLabel("Title").inputValue()).resolves.toBe("");
        await expect(page.getByLabel("Your question").inputValue()).resolves.toBe("");
        await expectAccessible(page);

        // Signing out removes every draft on this device.
        await page.getByLabel("Your question").fill("A draft that must not outlive signing out.");
        await page.waitForTimeout(600);
        await expect(page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("curbside:draft:")).length)).resolves.toBe(1);
        await page.evaluate(() => {
          window.onbeforeunload = null;
        });
        page.on("dialog", (dialog) => dialog.accept());
        await page
          .locator('form[action="/logout"]')
          .first()
          .evaluate((form) => (form as HTMLFormElement).requestSubmit());
        await page.waitForURL((url) => !url.pathname.startsWith("/ask"));
        await expect(page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("curbside:draft:")).length)).resolves.toBe(0);
      }
    },
    SLOW,
  );
});
