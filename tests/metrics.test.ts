// /metrics: absent without METRICS_TOKEN, behind the Bearer token with it, in Prometheus's text format, with
// request durations by route, page-cache hits and misses, the moderation queue, the outbox and the pool.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createThread, createUser } from "./helpers/factories.ts";

const TOKEN = "metrics-token-that-is-long-enough-0123456789";

let t: TestApp;
let off: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ METRICS_TOKEN: TOKEN, PAGE_CACHE: "true" });
  off = await buildTestApp({}, {}, t.database);
});
afterAll(async () => {
  await off.close();
  await t.close();
});

const scrape = () => t.http().get("/metrics").set("Authorization", `Bearer ${TOKEN}`);
const value = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("/metrics", () => {
  it("does not exist unless METRICS_TOKEN is set", async () => {
    expect((await off.http().get("/metrics")).status).toBe(404);
    expect((await off.http().get("/metrics").set("Authorization", `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it("refuses a missing or wrong token, and tokens shorter than 32 characters are refused at boot", async () => {
    for (const auth of [undefined, "Bearer", `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, "Bearer  "]) {
      const req = t.http().get("/metrics");
      const res = await (auth === undefined ? req : req.set("Authorization", auth));
      expect(res.status, String(auth)).toBe(401);
      expect(res.text).not.toContain("curbside_");
    }
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN: must be at least 32 characters/);
  });

  it("reports durations by route, page-cache hits and misses, the queue, the outbox and the pool", async () => {
    const author = await createUser(t.db, "patient");
    const thread = await createThread(t.db, author);
    await createThread(t.db, author, { status: "PENDING" });
    const pendingOld = await createThread(t.db, author, { status: "PENDING" });
    await t.db.thread.update({ where: { id: pendingOld.id }, data: { createdAt: new Date(Date.now() - 3_600_000) } });
    await t.db.outboxEmail.create({ data: { to: "a@example.test", subject: "s", text: "t", path: "/" } });
    await t.db.outboxEmail.create({ data: { to: "b@example.test", subject: "s", text: "t", path: "/", status: "FAILED", attempts: 10 } });

    const first = await t.http().get(`/t/${thread.id}`);
    const second = await t.http().get(`/t/${thread.id}`);
    expect([first.headers["x-page-cache"], second.headers["x-page-cache"]]).toEqual(["miss", "hit"]);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(value(text, 'curbside_http_request_duration_seconds_count{method="GET",route="/t/:id",status="2xx"}')).toBe(2);
    // Route patterns, never paths with ids.
    expect(text).not.toContain(`route="/t/${thread.id}"`);
    expect(value(text, 'curbside_page_cache_requests_total{result="hit"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'curbside_page_cache_requests_total{result="miss"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, "curbside_moderation_queue_items")).toBe(await pendingCount());
    expect(value(text, "curbside_moderation_queue_oldest_age_seconds")).toBeGreaterThanOrEqual(3_600);
    expect(value(text, 'curbside_outbox_mails{status="pending"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'curbside_outbox_mails{status="failed"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'curbside_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain("process_cpu_seconds_total");
  });
});

async function pendingCount() {
  const threads = await t.db.thread.count({ where: { status: "PENDING", withdrawnAt: null, changesRequestedAt: null } });
  const replies = await t.db.reply.count({ where: { status: "PENDING", changesRequestedAt: null } });
  return threads + replies;
}
