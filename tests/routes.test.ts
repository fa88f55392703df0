// Every route answers as a person expects, the demo seed is complete, and every HTML page carries the
// disclaimer and the security headers. The route list is read from Fastify, so a new route must be added here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/db/seed.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { logIn, textOf } from "./helpers/http.ts";

let t: TestApp;
let mod: ReturnType<TestApp["agent"]>;
let patient: ReturnType<TestApp["agent"]>;

beforeAll(async () => {
  t = await buildTestApp();
  expect(await seedDemo(t.db)).toBe(true);
  mod = t.agent();
  await logIn(mod, { email: "moderator@example.com" }, "curbside-demo");
  patient = t.agent();
  await logIn(patient, { email: "patient@example.com" }, "curbside-demo");
});
afterAll(() => t.close());

const ACCOUNT_ROUTES = [
  "GET /signup/confirm",
  "POST /signup/confirm",
  "GET /login/two-factor",
  "POST /login/two-factor",
  "GET /login/forgot",
  "POST /login/forgot",
  "GET /login/reset",
  "POST /login/reset",
  "GET /account/two-factor",
  "POST /account/two-factor",
  "POST /account/two-factor/disable",
  "GET /account/confirm",
  "POST /account/confirm",
  "GET /account/email/confirm",
  "POST /account/email/confirm",
  "POST /admin/settings/two-factor",
];

// Each route as the kind of person who uses it: [route, who, path or path-maker, expected status].
const GETS: [string, "reader" | "patient" | "moderator", string, number][] = [
  ["/", "reader", "/", 200],
  ["/c/:slug", "reader", "/c/support", 200],
  ["/t/:id", "reader", "/t/1", 200],
  ["/t/:id/:slug", "reader", "/t/1/shared-hla-types", 200],
  ["/ask", "patient", "/ask", 200],
  ["/signup", "reader", "/signup", 200],
  ["/login", "reader", "/login", 200],
  ["/physicians", "reader", "/physicians", 200],
  ["/latest", "reader", "/latest", 200],
  ["/unanswered", "reader", "/unanswered", 200],
  ["/moderation", "moderator", "/moderation", 200],
  ["/account", "patient", "/account", 200],
  ["/healthz", "reader", "/healthz", 200],
  ["/readyz", "reader", "/readyz", 200],
  ["/search", "reader", "/search?q=HLA", 200],
  ["/articles", "reader", "/articles", 200],
  ["/articles/:id/history", "reader", "/articles/2/history", 200],
  ["/articles/new", "patient", "/articles/new", 403],
  ["/terms", "reader", "/terms", 200],
  ["/privacy", "reader", "/privacy", 200],
  ["/safety-rules.json", "reader", "/safety-rules.json", 200],
  ["/moderation/log", "moderator", "/moderation/log", 200],
  ["/inbox", "patient", "/inbox", 403],
  ["/admin/settings", "moderator", "/admin/settings", 403],
  ["/notifications", "patient", "/notifications", 200],
  ["/account/export", "patient", "/account/export", 200],
  ["/feeds/answered.atom", "reader", "/feeds/answered.atom", 200],
  ["/c/:slug/feed.atom", "reader", "/c/support/feed.atom", 200],
  ["/physicians/:handle", "reader", "/physicians/amara-nwosu", 200],
  ["/physicians/:handle/feed.atom", "reader", "/physicians/amara-nwosu/feed.atom", 200],
  ["/sitemap.xml", "reader", "/sitemap.xml", 200],
  ["/robots.txt", "reader", "/robots.txt", 200],
  ["/public/*", "reader", "/public/styles.css", 200],
  ["/moderation/:kind/:id/history", "moderator", "/moderation/threads/1/history", 200],
  ["/moderation/:kind/:id/redact", "moderator", "/moderation/threads/1/redact", 200],
  ["/t/:id/report", "patient", "/t/1/report", 200],
];

// This file requests the GET routes in GETS; the rest of the list below is a reminder that a new route needs a
// decision. Every route, GET or not, is requested by every kind of person in route-matrix.test.ts, which fails on
// a route it has no entry for.
describe("every GET route", () => {
  it("is named here, in GETS or in the list of routes checked elsewhere (a new route fails this until it is)", () => {
    const checked = new Set([
      ...GETS.map(([route]) => `GET ${route}`),
      "GET /t/:id/edit",
      "GET /replies/:id/edit",
      "GET /public/*",
      "GET /assets/:file",
      "GET /safety-rules.json",
      "GET /assets/safety-guard.:hash.js",
      "GET /privacy",
      "GET /moderation/log",
      "POST /moderation/bulk",
      "GET /moderation/users/:id",
      "POST /moderation/users/:id/restrict",
      "POST /moderation/users/:id/revoke",
      "POST /moderation/users/:id/recheck",
      "POST /moderation/:kind/:id/claim",
      "POST /moderation/:kind/:id/release",
      "POST /moderation/:kind/:id/reverse",
      "POST /moderation/:kind/:id/request-changes",
      "POST /moderation/threads/:id/lock",
      "POST /moderation/threads/:id/unlock",
      "GET /t/:id/report",
      "POST /t/:id/report",
      "GET /replies/:id/report",
      "POST /replies/:id/report",
      "POST /moderation/:kind/:id/hide",
      "POST /moderation/:kind/:id/dismiss-flags",
      "GET /terms",
      "POST /t/:id/withdraw",
      "POST /signup",
      "POST /login",
      "POST /logout",
      "POST /ask",
      "POST /t/:id/replies",
      "POST /t/:id/edit",
      "POST /replies/:id/edit",
      "POST /moderation/:kind/:id/approve",
      "POST /moderation/:kind/:id/reject",
      "POST /account/password",
      "POST /account/delete",
      "POST /account/pseudonym",
      "POST /account/email",
      "POST /account/sessions/:id/end",
      "GET /account/export",
      "GET /admin/settings",
      "GET /feeds/answered.atom",
      "GET /c/:slug/feed.atom",
      "GET /physicians/:handle/feed.atom",
      "GET /sitemap.xml",
      "GET /physicians/:handle",
      "GET /inbox",
      "POST /inbox/:id/not-for-me",
      "GET /robots.txt",
      "POST /t/:id/follow",
      "GET /unsubscribe",
      "POST /unsubscribe",
      "GET /admin/members",
      "POST /admin/members/:id/role",
      "GET /set-password/:token",
      "POST /set-password/:token",
      "POST /account/mail",
      "POST /admin/settings",
      "GET /notifications",
      "GET /notifications/:id",
      "POST /notifications/read",
      "GET /moderation/:kind/:id/history",
      "GET /moderation/:kind/:id/redact",
      "POST /moderation/:kind/:id/redact",
      "POST /articles/new",
      "GET /articles/:id/edit",
      "POST /articles/:id/edit",
      "POST /replies/:id/agree",
      "POST /replies/:id/helpful",
      "POST /replies/:id/accept",
      "POST /account/profile",
      // Accounts (#23): each is in the route matrix and the hostile-input pass.
      ...ACCOUNT_ROUTES,
    ]);
    const routes = t.app.routeTable.map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => !checked.has(r))).toEqual([]);
  });

  it.each(GETS)("%s as %s", async (_route, who, path, status) => {
    const agent = who === "reader" ? t.http() : who === "moderator" ? mod : patient;
    const res = await agent.get(path);
    expect(res.status).toBe(status);
    if (res.headers["content-type"]?.includes("text/html")) {
      expect(textOf(res.text)).toContain("Information, not medical care.");
      expect(textOf(res.text)).toContain("In an emergency, call your local emergency number");
      expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      const nonce = String(res.headers["content-security-policy"]).match(/script-src 'nonce-([0-9a-f]{32})'/)?.[1];
      expect(nonce).toBeDefined();
      expect(res.text).toMatch(new RegExp(`<script src="/assets/app\\.[0-9a-f]{10}\\.js" nonce="${nonce}" defer>`));
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBe("same-origin");
      expect(res.headers["cross-origin-opener-policy"]).toBe("same-origin");
      // No inline script: only our file, and JSON-LD data blocks (which browsers never run).
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)(?! type="application\/ld\+json">)/);
    }
  });

  it("edit pages answer the author", async () => {
    const pending = await t.db.thread.findFirstOrThrow({ where: { status: "REJECTED", author: { email: "patient@example.com" } } });
    expect((await patient.get(`/t/${pending.id}/edit`)).status).toBe(200);
    const reply = await t.db.reply.create({
      data: { threadId: pending.id, authorId: pending.authorId, body: "pending", status: "PENDING", path: "z" },
    });
    expect((await patient.get(`/replies/${reply.id}/edit`)).status).toBe(200);
  });

  it("static assets are served", async () => {
    expect((await t.http().get("/public/styles.css")).status).toBe(200);
    expect((await t.http().get("/public/app.js")).status).toBe(200);
    // Fingerprinted names: cached for a year; a name that is not the current content's is 404.
    const css = (await t.http().get("/")).text.match(/href="(\/assets\/styles\.[0-9a-f]{10}\.css)"/)?.[1] as string;
    const asset = await t.http().get(css);
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(asset.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await t.http().get("/assets/styles.0000000000.css")).status).toBe(404);
  });

  it("every response, HTML or not, carries the whole policy and a nonce of its own", async () => {
    const policy = (res: { headers: Record<string, string> }) => res.headers["content-security-policy"] as string;
    const [page, a, b, missing] = await Promise.all([
      t.http().get("/"),
      t.http().get("/healthz"),
      t.http().get("/healthz"),
      t.http().get("/no/such/page"),
    ]);
    for (const res of [page, a, b, missing]) {
      expect(policy(res)).toMatch(
        /^default-src 'self';script-src 'nonce-[0-9a-f]{32}';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none';object-src 'none'$/,
      );
      expect(res.headers).toMatchObject({
        "x-frame-options": "SAMEORIGIN",
        "x-content-type-options": "nosniff",
        "cross-origin-resource-policy": "same-origin",
        "x-permitted-cross-domain-policies": "none",
      });
    }
    // (A cached page replays the nonce its body was given; a JSON answer is never cached.)
    expect(policy(a)).not.toBe(policy(b));
  });

  it("unknown pages get the 404 page with the layout", async () => {
    const res = await t.http().get("/no/such/page");
    expect(res.status).toBe(404);
    expect(textOf(res.text)).toContain("Page not found");
    expect(textOf(res.text)).toContain("Information, not medical care.");
  });

  it("/healthz does no database work and /readyz pings the database", async () => {
    expect((await t.http().get("/healthz")).body).toEqual({ status: "ok" });
    expect((await t.http().get("/readyz")).body).toEqual({ status: "ready" });
  });
});

describe("demo seed", () => {
  it("has the demo accounts, two articles, six questions, deep exchanges and a queue", async () => {
    for (const email of ["patient@example.com", "physician@example.com", "moderator@example.com", "admin@example.com"]) {
      expect(await t.db.user.count({ where: { email } })).toBe(1);
    }
    expect((await t.db.physicianProfile.findFirstOrThrow({ where: { user: { email: "physician@example.com" } } })).status).toBe("VERIFIED");
    expect(await t.db.thread.count({ where: { kind: "ARTICLE", status: "APPROVED" } })).toBe(2);
    expect(await t.db.thread.count({ where: { kind: "QUESTION", status: "APPROVED" } })).toBeGreaterThanOrEqual(6);
    expect(await t.db.reply.count({ where: { depth: { gte: 3 }, status: "APPROVED" } })).toBeGreaterThan(0);
    const queue = textOf((await mod.get("/moderation")).text);
    expect(queue).toMatch(/[3-9] items waiting/);
    expect(queue).toContain("Lena Okafor");
    expect(await seedDemo(t.db)).toBe(false);
  });

  it("shows the blog-like exchange: article, question, signed answer, follow-up nested deeper", async () => {
    const page = (await t.http().get("/t/1")).text;
    const text = textOf(page);
    expect(text).toContain("Shared HLA types");
    expect(text).toContain("Marigold says:");
    expect(text).toContain("Dr. Amara Nwosu says:");
    expect(text).toContain("K-562");
    expect(page).toContain('class="reply depth-3');
    expect(text).not.toContain("cytotoxicity test is booked"); // Marigold's pending update
  });

  it("shows the physicians' features: provenance, an overdue re-check, a revocation, bios, articles, references and signals", async () => {
    const profile = textOf((await t.http().get("/physicians/amara-nwosu")).text);
    expect(profile).toContain("I am a partner in a private fertility clinic");
    expect(profile).toContain("checked Dr. Amara Nwosu's licence with Public register of Ontario, Canada (CPSO)");
    const applications = textOf((await mod.get("/moderation?show=applications")).text);
    expect(applications).toContain("Tomás Varga, MD, PhD — overdue : was due by");
    expect((await t.http().get("/physicians/pim-sanders")).status).toBe(404);
    expect(await t.db.moderationLog.count({ where: { action: "revoke" } })).toBe(1);

    const articles = textOf((await t.http().get("/articles?tag=nk%20cells")).text);
    expect(articles).toContain("Shared HLA types");
    const article = textOf((await t.http().get("/t/1")).text);
    expect(article).toContain("References ESHRE Guideline Group on RPL.");
    expect(textOf((await t.http().get("/articles/2/history")).text)).toMatch(/Version 2 \(current\).*Version 1/s);
    const question = textOf((await t.http().get("/t/3")).text);
    expect(question).toContain("answered the question, says the person who asked");
    expect(question).toMatch(/Agreed by Dr\. Tomás Varga\s*\(1 physician\)/);
    expect(question).toContain("4 people found this helpful");
    expect(question).toContain("PMID: 36873081");
    expect(textOf((await patient.get("/t/3")).text)).toContain("You found this helpful · undo");
  });
});
