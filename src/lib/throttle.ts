// Fixed-window counters kept in PostgreSQL, so every app instance on one database counts the same events.
// Each hit is one atomic upsert; nothing is read-then-written. The time comes from an injected clock so
// that tests can move it instead of waiting. Sign-in throttling (src/auth/sign-in-throttle.ts) and the
// request rate limit (rateLimitStore below) are built on it.
import { createHash } from "node:crypto";
import type { Database } from "../db/client.ts";

export interface Counter {
  /** Events counted in the current window (0 when there is none). */
  count: number;
  /** When the window ends and the count starts again (ms since the epoch; 0 when there is no window). */
  resetAt: number;
  /** When the latest event was counted (ms since the epoch; 0 when none). */
  lastAt: number;
}

const NONE: Counter = { count: 0, resetAt: 0, lastAt: 0 };

/** Keys are stored hashed: the table never holds an address or an email in the clear. */
function storedKey(key: string): string {
  return createHash("sha256").update(key).digest("base64url");
}

interface Row {
  key: string;
  count: number;
  resetAt: Date;
  lastAt: Date;
}

const toCounter = (row: Row | undefined): Counter =>
  row ? { count: row.count, resetAt: row.resetAt.getTime(), lastAt: row.lastAt.getTime() } : NONE;

/** Every this many hits, an instance also deletes ended counters (the retention job does it every 6 hours too). */
const PURGE_EVERY = 1000;

export class CounterStore {
  private hits = 0;

  constructor(
    private readonly db: Database,
    /** The clock; tests pass one they can move. */
    readonly now: () => number = Date.now,
  ) {}

  /** Counts one event under `key`; a window that has ended starts again at 1. Returns the counter after it. */
  async hit(key: string, windowMs: number): Promise<Counter> {
    const now = new Date(this.now());
    const resetAt = new Date(now.getTime() + windowMs);
    const rows = await this.db.$queryRaw<Row[]>`
      INSERT INTO "ThrottleCounter" AS t ("key", "count", "resetAt", "lastAt")
      VALUES (${storedKey(key)}, 1, ${resetAt}, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN t."resetAt" <= ${now} THEN 1 ELSE t."count" + 1 END,
        "resetAt" = CASE WHEN t."resetAt" <= ${now} THEN EXCLUDED."resetAt" ELSE t."resetAt" END,
        "lastAt" = EXCLUDED."lastAt"
      RETURNING "key", "count", "resetAt", "lastAt"`;
    if (++this.hits % PURGE_EVERY === 0) CounterStore.purgeExpired(this.db, now).catch(() => {});
    return toCounter(rows[0]);
  }

  /** The counters for `keys`, in order; an ended window reads as no events. */
  async read<const K extends readonly string[]>(keys: K): Promise<{ [I in keyof K]: Counter }> {
    const hashed = keys.map(storedKey);
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT "key", "count", "resetAt", "lastAt" FROM "ThrottleCounter" WHERE "key" = ANY(${hashed}::text[])`;
    const now = this.now();
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return hashed.map((k) => {
      const counter = toCounter(byKey.get(k));
      return counter.resetAt > now ? counter : NONE;
    }) as { [I in keyof K]: Counter };
  }

  /** Forgets the counts under `keys`. */
  async clear(keys: string[]): Promise<void> {
    const hashed = keys.map(storedKey);
    await this.db.$executeRaw`DELETE FROM "ThrottleCounter" WHERE "key" = ANY(${hashed}::text[])`;
  }

  /** Deletes the counters whose window ended before `now`; the retention job calls this. */
  static async purgeExpired(db: Database, now = new Date()): Promise<number> {
    return db.$executeRaw`DELETE FROM "ThrottleCounter" WHERE "resetAt" <= ${now}`;
  }
}

/** The shape @fastify/rate-limit expects of a store (its `incr` and `child`). */
export interface RateLimitStore {
  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void;
  child(): RateLimitStore;
}

/**
 * A store for @fastify/rate-limit over the shared counters, so N instances allow one limit rather than N.
 * The plugin constructs the store itself (`new Store(options)`), hence a class made around the counters.
 */
export function rateLimitStore(counters: CounterStore): new () => RateLimitStore {
  return class PostgresRateLimitStore implements RateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      counters.hit(`rate:${key}`, timeWindow).then(
        (c) => callback(null, { current: c.count, ttl: Math.max(0, c.resetAt - counters.now()) }),
        (error: Error) => callback(error),
      );
    }

    child() {
      return this;
    }
  };
}
