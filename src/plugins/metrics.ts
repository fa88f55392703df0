// /metrics in Prometheus's text format (prom-client), only when METRICS_TOKEN is set and only for a request
// carrying it as a Bearer token. Request durations by route, page-cache hits and misses, the moderation queue,
// the mail outbox, and the database pool; the queue and outbox are read from the database at scrape time.
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { answeredFromPageCache } from "./page-cache.ts";

/** Compared as SHA-256 digests: equal lengths whatever was sent, so the comparison takes constant time. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? header.match(/^Bearer\s+(\S+)\s*$/i) : null;
  return match?.[1] ?? null;
}

export default fp(
  async function metrics(app: FastifyInstance) {
    const token = app.config.metricsToken;
    if (!token) return; // Off: /metrics is an ordinary 404.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });

    const duration = new Histogram({
      name: "curbside_http_request_duration_seconds",
      help: "Time to answer a request, by method, route pattern and status class.",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const pageCache = new Counter({
      name: "curbside_page_cache_requests_total",
      help: "Signed-out page views answered from the page cache (hit) or rendered and stored (miss).",
      labelNames: ["result"] as const,
      registers: [registry],
    });
    for (const result of ["hit", "miss"]) pageCache.inc({ result }, 0);

    // A hit is answered before Fastify routes it (see app.ts), in a few microseconds: it is counted, and its
    // duration observed as the smallest bucket's, under its route's pattern.
    app.onPageCacheHit((route, status, method) => {
      pageCache.inc({ result: "hit" });
      duration.observe({ method, route, status: status === 304 ? "3xx" : "2xx" }, 0);
    });
    app.addHook("onResponse", (request, reply, done) => {
      if (answeredFromPageCache.has(request)) return done();
      // The pattern, never the path: a path holds ids and would make a series per thread.
      const route = request.routeOptions.url ?? "unmatched";
      duration.observe({ method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
      const cache = reply.getHeader("x-page-cache");
      if (cache === "miss") pageCache.inc({ result: cache });
      done();
    });

    const db = app.db;
    // prom-client collects every metric at once, so two gauges fed by one query share one read per scrape.
    const once = <T>(read: () => Promise<T>) => {
      let pending: Promise<T> | null = null;
      return () => {
        pending ??= read().finally(() => {
          pending = null;
        });
        return pending;
      };
    };
    const readQueue = once(async () => {
      const [row] = await db.$queryRaw<{ items: number; age: number | null }[]>`
        SELECT count(*)::int AS items, extract(epoch FROM now() - min(created))::float8 AS age FROM (
          SELECT "createdAt" AS created FROM "Thread" WHERE status = 'PENDING' AND "withdrawnAt" IS NULL AND "changesRequestedAt" IS NULL
          UNION ALL
          SELECT "createdAt" FROM "Reply" WHERE status = 'PENDING' AND "changesRequestedAt" IS NULL
        ) AS queue`;
      return { items: row?.items ?? 0, age: Math.max(0, row?.age ?? 0) };
    });
    const readOutbox = once(async () => {
      const [row] = await db.$queryRaw<{ pending: number; failed: number; retrying: number }[]>`
        SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
               count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
               count(*) FILTER (WHERE status = 'PENDING' AND attempts > 0)::int AS retrying
        FROM "OutboxEmail" WHERE status IN ('PENDING', 'FAILED')`;
      return row ?? { pending: 0, failed: 0, retrying: 0 };
    });
    new Gauge({
      name: "curbside_moderation_queue_items",
      help: "Posts waiting for a moderator (pending, not withdrawn, no changes requested).",
      registers: [registry],
      async collect() {
        this.set((await readQueue()).items);
      },
    });
    new Gauge({
      name: "curbside_moderation_queue_oldest_age_seconds",
      help: "How long the oldest post in the moderation queue has waited (0 when the queue is empty).",
      registers: [registry],
      async collect() {
        this.set((await readQueue()).age);
      },
    });
    new Gauge({
      name: "curbside_outbox_mails",
      help: "Mails in the outbox by status: pending (not yet sent, retries included) and failed (given up).",
      labelNames: ["status"] as const,
      registers: [registry],
      async collect() {
        const counts = await readOutbox();
        this.set({ status: "pending" }, counts.pending);
        this.set({ status: "failed" }, counts.failed);
      },
    });
    new Gauge({
      name: "curbside_outbox_retrying_mails",
      help: "Pending mails whose earlier attempts failed (the mail server refused or was away).",
      registers: [registry],
      async collect() {
        this.set((await readOutbox()).retrying);
      },
    });
    new Gauge({
      name: "curbside_db_pool_connections",
      help: "The database pool of this instance: total, idle, and requests waiting for a connection.",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        this.set({ state: "total" }, db.pool.totalCount);
        this.set({ state: "idle" }, db.pool.idleCount);
        this.set({ state: "waiting" }, db.pool.waitingCount);
      },
    });

    const routing = app.readRouting;
    if (routing) {
      new Gauge({
        name: "curbside_db_replica_pool_connections",
        help: "The read replica's pool of this instance (DATABASE_READ_POOL_SIZE): total, idle, and waiting.",
        labelNames: ["state"] as const,
        registers: [registry],
        collect() {
          this.set({ state: "total" }, routing.replicaPool.totalCount);
          this.set({ state: "idle" }, routing.replicaPool.idleCount);
          this.set({ state: "waiting" }, routing.replicaPool.waitingCount);
        },
      });
      new Gauge({
        name: "curbside_read_replica_up",
        help: "1 while the read replica (DATABASE_READ_URL) answers; 0 while its reads go to the primary.",
        registers: [registry],
        collect() {
          this.set(routing.status().state === "up" ? 1 : 0);
        },
      });
      new Gauge({
        name: "curbside_read_replica_behind_bytes",
        help: "Write-ahead log between the last change this instance heard of and what the replica has replayed.",
        registers: [registry],
        collect() {
          this.set(routing.status().behindBytes);
        },
      });
    }
    app.get("/metrics", async (request, reply) => {
      reply.header("cache-control", "no-store");
      const given = bearer(request);
      if (given === null || !sameToken(given, token)) {
        return reply.code(401).header("www-authenticate", 'Bearer realm="metrics"').type("text/plain").send("Unauthorized\n");
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: "metrics" },
);
