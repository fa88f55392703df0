// The safety guard in a real browser: the live warning is a preview, and the server's review step still
// comes when details remain at sending; the browser's copy of the guard finds what the server finds.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../scripts/safety-eval.ts";
import { DEMO_PASSWORD, seedDemo } from "../../src/db/seed.ts";
import { findEmergencySigns } from "../../src/safety/emergency.ts";
import { findIdentifyingDetails } from "../../src/safety/identifying.ts";
import { type E2E, signIn, startE2E } from "./browser.ts";

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
  await seedDemo(e2e.t.db);
});
afterAll(() => e2e?.close());

async function askWithDetails(page: Page, title: string) {
  await signIn(page, "patient@example.com", DEMO_PASSWORD);
  await page.goto("/ask");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Category").selectOption({ index: 1 });
  await page.getByLabel("Your question").fill("My name is Sarah Jane Thompson, call me on 07700 900123 about my NK cells.");
}

describe("the review step with JavaScript on", () => {
  it("shows the server's review when details remain, after the live warning was seen", async () => {
    const page = await (await e2e.context()).newPage();
    await askWithDetails(page, "NK cells and a phone number, JS on");
    await page.getByText("This could identify you").first().waitFor();
    await page.getByRole("button", { name: "Send for review" }).click();
    await page.getByRole("button", { name: "Remove them and post" }).waitFor();
    expect(await page.getByRole("button", { name: "Post as written" }).isVisible()).toBe(true);
    // Nothing was posted yet.
    expect(await e2e.t.db.thread.count({ where: { title: "NK cells and a phone number, JS on" } })).toBe(0);
    await page.getByRole("button", { name: "Remove them and post" }).click();
    await page.waitForURL(/\/t\//);
    const thread = await e2e.t.db.thread.findFirstOrThrow({ where: { title: "NK cells and a phone number, JS on" } });
    expect(thread.body).not.toContain("07700");
    expect(thread.body).not.toContain("Thompson");
  });

  it("shows the same review with JavaScript off", async () => {
    const page = await (await e2e.context({ javaScriptEnabled: false })).newPage();
    await askWithDetails(page, "NK cells and a phone number, JS off");
    await page.getByRole("button", { name: "Send for review" }).click();
    await page.getByRole("button", { name: "Remove them and post" }).waitFor();
    expect(await e2e.t.db.thread.count({ where: { title: "NK cells and a phone number, JS off" } })).toBe(0);
    await page.getByRole("button", { name: "Post as written" }).click();
    await page.waitForURL(/\/t\//);
    const thread = await e2e.t.db.thread.findFirstOrThrow({ where: { title: "NK cells and a phone number, JS off" } });
    expect(thread.body).toContain("07700 900123");
  });

  it("runs the server's guard in the page: the same findings on every corpus sentence", async () => {
    const page = await (await e2e.context()).newPage();
    await signIn(page, "patient@example.com", DEMO_PASSWORD);
    await page.goto("/ask");
    await page.getByLabel("Your question").fill("start");
    await page.waitForFunction(() => "CurbsideSafety" in window);
    const texts = [...loadCorpus("dev"), ...loadCorpus("holdout")].map((e) => e.text);
    const context = { physicians: ["Michael Harper"] };
    const inBrowser = await page.evaluate(
      ({ texts, context }) => {
        const guard = (window as unknown as { CurbsideSafety: Record<string, (...a: unknown[]) => unknown> }).CurbsideSafety;
        return texts.map((t) => ({ identifying: guard.findIdentifyingDetails?.(t, context), emergency: guard.findEmergencySigns?.(t) }));
      },
      { texts, context },
    );
    const onServer = texts.map((t) => ({ identifying: findIdentifyingDetails(t, context), emergency: findEmergencySigns(t) }));
    expect(JSON.parse(JSON.stringify(inBrowser))).toEqual(JSON.parse(JSON.stringify(onServer)));
  });
});
