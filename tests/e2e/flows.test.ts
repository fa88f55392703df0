// In a real browser: the flows people follow, located by role and label as a screen reader finds them.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, seedDemo, seedLargeQueue } from "../../src/db/seed.ts";
import { type E2E, expectAccessible, joinByMail, signIn, startE2E } from "./browser.ts";

let e2e: E2E;
const SHOTS = join(import.meta.dirname, "screenshots");

beforeAll(async () => {
  e2e = await startE2E();
  await seedDemo(e2e.t.db);
  await mkdir(SHOTS, { recursive: true });
});
afterAll(() => e2e?.close());

async function newPage(options?: Parameters<E2E["context"]>[0]): Promise<Page> {
  return (await e2e.context(options)).newPage();
}

async function approveInQueue(page: Page, heading: RegExp | string, button = /^Approve/) {
  await page.goto("/moderation");
  const item = page.getByRole("article").filter({ has: page.getByRole("heading", { name: heading }) });
  await item.getByRole("button", { name: button }).click();
  await page.waitForURL(/\/moderation\?notice=/);
  // The queue says what was decided: a status message a screen reader announces, visible and not empty.
  const notice = page.getByRole("status").first();
  await notice.waitFor({ state: "visible" });
  expect((await notice.textContent())?.trim()).not.toBe("");
}

describe("flow 1: ask, moderate, answer, follow up, read", () => {
  it("works in the browser, and the reader sees the nested exchange", async () => {
    const title = "Chemical pregnancies after a healthy first child";
    const patient = await newPage();
    await joinByMail(e2e, patient, { email: "iris.e2e@example.test", password: "iris has a long password", pseudonym: "Iris" });
    expect(new URL(patient.url()).pathname).toBe("/");

    await patient.getByRole("link", { name: "Ask a question" }).first().click();
    await patient.getByLabel("Title").fill(title);
    await patient.getByLabel("Category").selectOption({ label: "Recurrent pregnancy loss" });
    await patient
      .getByLabel("Your question")
      .fill("I have a healthy son and since then three chemical pregnancies. What should I ask my doctor?");
    await patient.getByRole("button", { name: "Send for review" }).click();
    await expect(patient.getByText("Awaiting moderation.").isVisible()).resolves.toBe(true);
    const threadUrl = new URL(patient.url()).pathname;

    const reader = await newPage();
    expect((await reader.goto(threadUrl))?.status()).toBe(404);

    const moderator = await newPage();
    await signIn(moderator, "moderator@example.com", DEMO_PASSWORD);
    await approveInQueue(moderator, title);

    const physician = await newPage();
    await signIn(physician, "physician@example.com", DEMO_PASSWORD);
    await physician.goto(threadUrl);
    await physician.getByLabel("Your reply").fill("Ask about antiphospholipid antibodies, thyroid function and NK-cell activity.");
    await physician.getByRole("button", { name: "Post reply" }).click();
    await expect(physician.getByText("Dr. Amara Nwosu says:").isVisible()).resolves.toBe(true);

    // The patient answers beneath the physician: "Reply" moves the form under the answer.
    await patient.goto(threadUrl);
    await patient.getByRole("link", { name: "Reply to Dr. Amara Nwosu" }).click();
    const form = patient.locator("li.reply-physician #reply-form");
    await expect(form.isVisible()).resolves.toBe(true);
    await patient.getByLabel("Your reply").fill("Thank you! Should both of us be tested?");
    await patient.getByRole("button", { name: "Post reply" }).click();
    await expect(patient.getByText("Awaiting moderation.").first().isVisible()).resolves.toBe(true);

    await approveInQueue(moderator, /^Reply in Chemical pregnancies/);

    await reader.goto(threadUrl);
    const answer = reader.locator("li.reply-physician").filter({ hasText: "antiphospholipid" });
    await expect(answer.getByText("verified").first().isVisible()).resolves.toBe(true);
    const nested = answer.locator("ol.children > li.reply").filter({ hasText: "Should both of us be tested?" });
    await expect(nested.isVisible()).resolves.toBe(true);
    await expect(nested.getByText("Iris says:").isVisible()).resolves.toBe(true);
    await expect(reader.getByText("Awaiting moderation").count()).resolves.toBe(0);
    await expectAccessible(reader);
  });
});

describe("flow 2: a physician applies, is verified, and the badge appears", () => {
  it("works in the browser", async () => {
    const applicant = await newPage();
    await applicant.goto("/signup");
    await expect(applicant.getByLabel("Licence number").isVisible()).resolves.toBe(false);
    await joinByMail(
      e2e,
      applicant,
      { email: "dr.rowan@example.test", password: "violet harbour quietly 47 lanterns", pseudonym: "rowan-r" },
      async (page) => {
        await page.getByLabel("I am a physician").check();
        await page.getByLabel("Full name, as registered").fill("Rowan Achebe");
        await page.getByLabel("Credentials").fill("MD");
        await page.getByLabel("Specialty").selectOption("Reproductive immunology");
        await page.getByLabel("Licence number").fill("TEST-55102");
        await page.getByLabel("Licensing jurisdiction").fill("Testland Medical Council");
      },
    );
    await applicant.waitForURL(/\/account$/);
    await expect(applicant.getByText("Awaiting review.").isVisible()).resolves.toBe(true);

    const moderator = await newPage();
    await signIn(moderator, "moderator@example.com", DEMO_PASSWORD);
    // Verifying records how the licence was checked.
    await moderator.goto("/moderation?show=applications");
    const application = moderator.getByRole("article").filter({ has: moderator.getByRole("heading", { name: "Rowan Achebe, MD" }) });
    await application.getByLabel("Registry", { exact: true }).fill("Testland Medical Council register");
    await application.getByLabel("Reference in the registry").fill("TEST-55102");
    await application.getByLabel("Checked on").fill("2026-11-20");
    await application.getByLabel("Check again by").fill(`${new Date().getUTCFullYear() + 1}-11-20`);
    await application.getByRole("button", { name: /^Verify physician/ }).click();
    await moderator.waitForURL(/\/moderation\?notice=verified/);

    await applicant.goto("/account");
    await expect(applicant.getByText(/^Verified on/).isVisible()).resolves.toBe(true);
    await applicant.goto("/t/7");
    await applicant.getByLabel("Your reply").fill("Verified and answering at once.");
    await applicant.getByRole("button", { name: "Post reply" }).click();
    const reader = await newPage();
    await reader.goto("/t/7");
    const post = reader.locator("li.reply").filter({ hasText: "Verified and answering at once." });
    await expect(post.getByText("Dr. Rowan Achebe").first().isVisible()).resolves.toBe(true);
    await expect(post.getByText(/MD · Reproductive immunology · verified/).isVisible()).resolves.toBe(true);
    await reader.goto("/physicians");
    await expect(reader.getByRole("heading", { name: "Dr. Rowan Achebe, MD" }).isVisible()).resolves.toBe(true);
  });
});

describe("flow 3: a person reports a post, and a moderator hides it", () => {
  it("works in the browser", async () => {
    const reporter = await newPage();
    await signIn(reporter, "patient@example.com", DEMO_PASSWORD);
    await reporter.goto("/t/2");
    const post = reporter.locator("li.reply").filter({ hasText: "Is endometrial scratching still recommended?" }).first();
    await post
      .getByRole("link", { name: /^Report/ })
      .first()
      .click();
    await reporter.getByLabel("Spam").check();
    await reporter.getByLabel(/Anything the moderators should know/).fill("Looks like an advert to me.");
    await reporter.getByRole("button", { name: "Send report" }).click();
    await expect(reporter.getByText("Your report reached the moderators.").isVisible()).resolves.toBe(true);

    const moderator = await newPage();
    await signIn(moderator, "moderator@example.com", DEMO_PASSWORD);
    await moderator.goto("/moderation");
    const item = moderator.locator("#flagged article").filter({ hasText: "Looks like an advert to me." });
    await item.getByText("Hide post…").click();
    await item.getByLabel("Reason").selectOption("Spam or advertising");
    await item.getByRole("button", { name: /^Hide post/ }).click();
    await moderator.waitForURL(/notice=hidden/);

    const reader = await newPage();
    await reader.goto("/t/2");
    await expect(reader.getByText("Is endometrial scratching still recommended?").count()).resolves.toBe(0);
  });
});

describe("a moderator clears a queue of 200 items with views and bulk actions", () => {
  it("works in the browser", async () => {
    const made = await seedLargeQueue(e2e.t.db, 200);
    expect(made).toBe(200);
    const page = await newPage();
    await signIn(page, "moderator@example.com", DEMO_PASSWORD);
    for (let round = 0; round < 10; round++) {
      await page.goto("/moderation?show=questions");
      if ((await page.locator('input[name="items"]').count()) === 0) break;
      await page.getByRole("button", { name: "Select all shown" }).click();
      await page.getByRole("button", { name: "Approve selected" }).click();
      await page.waitForURL(/notice=bulk-approve/);
    }
    await page.goto("/moderation?show=replies");
    await page.getByRole("button", { name: "Select all shown" }).click();
    await page.getByLabel("Reason for rejecting").selectOption("Off-topic for Curbside");
    await page.getByRole("button", { name: "Reject selected" }).click();
    await page.waitForURL(/notice=bulk-reject/);
    const left = await e2e.t.db.thread.count({ where: { status: "PENDING", title: { startsWith: "Queue practice" } } });
    const leftReplies = await e2e.t.db.reply.count({ where: { status: "PENDING", body: { startsWith: "Practice reply" } } });
    expect(left + leftReplies).toBe(0);
  }, 120_000);
});

describe("flow 4: a person downloads their data and deletes their account", () => {
  it("works in the browser", async () => {
    const page = await newPage();
    await joinByMail(e2e, page, { email: "leaving@example.test", password: "a long enough password", pseudonym: "Leaving Soon" });
    await page.goto("/t/3");
    await page.getByLabel("Your reply").fill("A reply that stays after I leave.");
    await page.getByRole("button", { name: "Post reply" }).click();
    await page.waitForURL(/#reply-\d+$/);

    await page.goto("/account");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download my data" }).click()]);
    const path = await download.path();
    const data = JSON.parse(await readFile(path, "utf8"));
    expect(data.profile.email).toBe("leaving@example.test");
    expect(data.replies.map((r: { body: string }) => r.body)).toContain("A reply that stays after I leave.");

    await page.getByText("Delete my account…").click();
    await page.getByLabel("Password", { exact: true }).last().fill("a long enough password");
    await page.getByLabel("I understand that my account will be deleted").check();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page.getByRole("heading", { name: "Your account is deleted" }).isVisible()).resolves.toBe(true);
    await page.goto("/account");
    expect(new URL(page.url()).pathname).toBe("/login");
    const row = await e2e.t.db.user.findFirst({ where: { email: "leaving@example.test" } });
    expect(row).toBeNull();
  });
});

describe("safety while writing", () => {
  it("warns of an emergency and of identifying details as the person types, and removes them on request", async () => {
    const page = await newPage();
    await signIn(page, "patient@example.com", DEMO_PASSWORD);
    await page.goto("/ask");
    await page.getByLabel("Your question").fill("Heavy bleeding since this morning. Call me on 020 7946 0958.");
    await expect(
      page
        .getByText("If this is happening now, get help now")
        .waitFor()
        .then(() => true),
    ).resolves.toBe(true);
    await expect(page.getByText("This could identify you").isVisible()).resolves.toBe(true);
    await page.getByRole("button", { name: "Remove them" }).click();
    await expect(page.getByLabel("Your question").inputValue()).resolves.toBe("Heavy bleeding since this morning. Call me on [removed].");
    await expectAccessible(page);
  });
});

describe("keyboard, focus and form errors", () => {
  it("asking and replying work with the keyboard alone, with visible focus", async () => {
    const page = await newPage();
    await signIn(page, "patient@example.com", DEMO_PASSWORD);
    await page.goto("/ask");
    await page.getByLabel("Title").focus();
    await page.keyboard.type("Typed with the keyboard only, start to end");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("body");
    await page.keyboard.type("A question typed without a mouse, long enough to be accepted.");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/t\/\d+$/);
    await expect(page.getByText("Awaiting moderation.").isVisible()).resolves.toBe(true);

    await page.goto("/t/3");
    const replyLink = page.getByRole("link", { name: "Reply to Dr. Amara Nwosu" }).first();
    await replyLink.focus();
    await page.keyboard.press("Enter");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("body");
    await page.keyboard.type("Replying with the keyboard.");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#reply-\d+$/);
    await expect(page.getByText("Replying with the keyboard.").isVisible()).resolves.toBe(true);
  });

  it("form errors are tied to their fields and announced", async () => {
    const page = await newPage();
    await signIn(page, "patient@example.com", DEMO_PASSWORD);
    await page.goto("/ask");
    await page.getByLabel("Title").fill("Too short");
    await page.getByLabel("Your question").fill("Something I typed and want to keep.");
    await page.getByLabel("Category").selectOption({ label: "Support" });
    await page.getByRole("button", { name: "Send for review" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Title needs at least 10 characters.");
    const title = page.getByLabel("Title");
    await expect(title.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = (await title.getAttribute("aria-describedby")) ?? "";
    expect(describedBy.split(" ")).toContain("title-error");
    await expect(page.locator("#title-error").textContent()).resolves.toBe("Title needs at least 10 characters.");
    await expect(page.getByLabel("Your question").inputValue()).resolves.toBe("Something I typed and want to keep.");
  });
});

describe("progressive enhancement", () => {
  it("counts characters and warns before leaving an unsent post", async () => {
    const page = await newPage();
    await signIn(page, "patient@example.com", DEMO_PASSWORD);
    await page.goto("/t/3");
    await page.getByLabel("Your reply").fill("Twelve chars");
    await expect(page.getByText("12 / 5,000 characters").isVisible()).resolves.toBe(true);
    let warned = false;
    page.once("dialog", async (dialog) => {
      warned = dialog.type() === "beforeunload";
      await dialog.dismiss();
    });
    await page.getByRole("link", { name: "Physicians", exact: true }).first().click();
    expect(warned).toBe(true);
  });

  it("everything works with JavaScript off: reply to a reply through the Reply link", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await signIn(page, "patient@example.com", DEMO_PASSWORD);
    await page.goto("/t/4");
    await page.getByRole("link", { name: "Reply to Dr. Tomás Varga" }).first().click();
    expect(page.url()).toMatch(/replyto=\d+#reply-form$/);
    await expect(page.getByRole("heading", { name: "Reply to Dr. Tomás Varga" }).isVisible()).resolves.toBe(true);
    await page.getByLabel("Your reply").fill("Without JavaScript, nested all the same.");
    await page.getByRole("button", { name: "Post reply" }).click();
    await page.waitForURL(/#reply-\d+$/);
    const mine = page.locator("ol.children > li.reply").filter({ hasText: "Without JavaScript, nested all the same." });
    await expect(mine.getByText("Awaiting moderation.").isVisible()).resolves.toBe(true);
  });
});

describe("accessibility and screenshots", () => {
  const PAGES: [string, string, string | null][] = [
    ["home", "/", null],
    ["thread", "/t/1", null],
    ["category", "/c/reproductive-immunology", null],
    ["physicians", "/physicians", null],
    ["signup", "/signup", null],
    ["login", "/login", null],
    ["forgot-password", "/login/forgot", null],
    ["not-found", "/no/such/page", null],
    ["privacy", "/privacy", null],
    ["terms", "/terms", null],
    ["report", "/replies/2/report", "patient@example.com"],
    ["edit-question", "/t/10/edit", "patient@example.com"],
    ["ask", "/ask", "patient@example.com"],
    ["account", "/account", "patient@example.com"],
    ["rejected-question", "/t/10", "patient@example.com"],
    ["moderation", "/moderation", "moderator@example.com"],
    ["moderation-log", "/moderation/log", "moderator@example.com"],
    ["moderation-edits", "/moderation?show=edits", "moderator@example.com"],
    ["edit-history", "/moderation/threads/1/history", "moderator@example.com"],
    ["edit-before-approving", "/moderation/threads/9/redact", "moderator@example.com"],
    ["search", "/search?q=NK+cells", null],
    ["search-empty", "/search", null],
    ["notifications", "/notifications", "patient@example.com"],
    ["ask-a-physician", "/ask?to=amara-nwosu", "patient@example.com"],
    ["settings", "/admin/settings", "admin@example.com"],
    ["physician-profile", "/physicians/amara-nwosu", null],
    ["inbox", "/inbox", "physician@example.com"],
    ["articles", "/articles?tag=nk%20cells", null],
    ["article-history", "/articles/2/history", null],
    ["write-article", "/articles/new", "physician@example.com"],
    ["answer-as-physician", "/t/3", "physician@example.com"],
    ["answer-as-patient", "/t/3", "patient@example.com"],
  ];

  for (const [width, height] of [
    [390, 844],
    [1280, 800],
  ] as const) {
    it(`every page type has no axe violations at ${width}×${height}`, async () => {
      const pages = new Map<string | null, Page>();
      for (const [name, path, who] of PAGES) {
        let page = pages.get(who);
        if (!page) {
          page = await newPage({ width, height });
          if (who) await signIn(page, who, DEMO_PASSWORD);
          pages.set(who, page);
        }
        await page.goto(path);
        await expectAccessible(page);
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
      }
    }, 240_000); // Every page type at one width, with axe on each: minutes on a loaded machine.
  }
});

describe("flow 5 (#23): a question written before joining enters the queue once the address is confirmed", () => {
  it("walks sign-up, the confirmation mail from the SMTP server, and the question into the moderation queue", async () => {
    const title = "Low progesterone in the luteal phase";
    const page = await newPage();
    await page.goto("/ask");
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Category").selectOption({ label: "Recurrent pregnancy loss" });
    await page
      .getByLabel("Your question")
      .fill("My progesterone was low twice in the second half of my cycle. Is luteal support worth asking about?");
    await page.getByRole("button", { name: "Send for review" }).click();
    await page.getByText("Your question is kept.").waitFor();
    expect(await e2e.t.db.thread.count({ where: { title } })).toBe(0);
    await joinByMail(e2e, page, { email: "juniper.e2e@example.test", password: "juniper walks by the river", pseudonym: "luteal-hope" });
    // Signed in, on the question's own page, which waits for a moderator.
    await page.getByText("Awaiting moderation.").first().waitFor();
    await expectAccessible(page);
    const moderator = await newPage();
    await signIn(moderator, "moderator@example.com", DEMO_PASSWORD);
    await moderator.goto("/moderation");
    await moderator.getByRole("heading", { name: title }).waitFor();
  }, 180_000);
});

describe("flow 6 (#23): a forgotten password is reset by mail", () => {
  it("walks 'Forgot your password?', the mailed link, and signing in with the new password", async () => {
    const page = await newPage();
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByLabel("Email").fill("patient@example.com");
    await page.getByRole("button", { name: "Send the link" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" }).isVisible()).resolves.toBe(true);
    await page.goto(await e2e.mailedLink("patient@example.com", "/login/reset?token="));
    await page.getByLabel("New password").fill("password12");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByText("Choose a stronger password.").first().isVisible()).resolves.toBe(true);
    await page.getByLabel("New password").fill("a fresh path through the orchard");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(/\/account\?notice=password-reset$/);
    const again = await newPage();
    await signIn(again, "patient@example.com", "a fresh path through the orchard");
    expect(new URL(again.url()).pathname).toBe("/");
  });
});
