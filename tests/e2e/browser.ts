// The e2e harness: the real app listening on a free port over a fresh test database, and Chromium.
import type { AddressInfo } from "node:net";
import { AxeBuilder } from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { deliverDue } from "../../src/mail/outbox.ts";
import { createMailer } from "../../src/mail/transport.ts";
import { buildTestApp, type TestApp } from "../helpers/app.ts";
import { linkIn, MailServer } from "../helpers/mail-server.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface E2E {
  t: TestApp;
  base: string;
  browser: Browser;
  /** The test SMTP server the app's mail goes to. */
  smtp: MailServer;
  /** Sends the queued mail now, and returns the path of the newest link to `prefix` mailed to `email`. */
  mailedLink(email: string, prefix: string): Promise<string>;
  context(options?: {
    javaScriptEnabled?: boolean;
    width?: number;
    height?: number;
    colorScheme?: "light" | "dark";
    timezoneId?: string;
  }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  const smtp = new MailServer();
  await smtp.start();
  const t = await buildTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  const mailer = createMailer({ smtpUrl: t.config.smtpUrl, from: t.config.mailFrom, log: () => {} });
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = t.app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  const contexts: BrowserContext[] = [];
  return {
    t,
    base,
    browser,
    smtp,
    async mailedLink(email, prefix) {
      await deliverDue(t.db, mailer, { publicUrl: t.config.publicUrl, secret: t.app.appSecret });
      const mails = smtp.received.filter((m) => m.to.includes(email));
      for (const mail of mails.reverse()) {
        const link = linkIn(mail.text, prefix);
        if (link) return link;
      }
      throw new Error(`no ${prefix} link was mailed to ${email}`);
    },
    async context(options = {}) {
      const context = await browser.newContext({
        baseURL: base,
        javaScriptEnabled: options.javaScriptEnabled ?? true,
        viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
        colorScheme: options.colorScheme ?? "light",
        ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
      });
      contexts.push(context);
      return context;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      mailer.close();
      await t.close();
      await smtp.stop();
    },
  };
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** axe-core at WCAG 2.2 AA: no violations, listed by rule and element when there are. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const violations = results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(violations, page.url()).toEqual([]);
}

/**
 * Joins as a person does: the sign-up form (with `more` filled in too), the consent tick, "Check your email",
 * then the link from the mail the test SMTP server received, and "Confirm and sign in".
 */
export async function joinByMail(
  e2e: E2E,
  page: Page,
  person: { email: string; password: string; pseudonym: string },
  more: (page: Page) => Promise<void> = async () => {},
): Promise<void> {
  // A held question's sign-up form is shown at /ask; otherwise open the sign-up page.
  if ((await page.getByRole("button", { name: "Create account" }).count()) === 0) await page.goto("/signup");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByLabel("Pseudonym").fill(person.pseudonym);
  await more(page);
  await page.getByLabel("I agree that Curbside keeps what I post about my health").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Check your email to finish" }).waitFor();
  await page.goto(await e2e.mailedLink(person.email, "/signup/confirm?token="));
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signup"));
}
