// The anonymous page cache. Signed-out readers (most visitors, arriving from search engines) get pages from
// memory with an ETag, and a 304 when they already have the page. Routes opt in and name what a page shows
// (`reply.cacheTags(...)`); PostgreSQL says what changed (triggers → NOTIFY curbside_pages at commit), and
// every instance LISTENs, so a new answer refreshes its thread, category and the home page everywhere.
// Never cached: anything for a signed-in person, a response that sets a cookie (a form's CSRF token), a
// page with a flash notice, and any status but 200.
import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import pg from "pg";

interface Entry {
  /** Encoded once, so a hit writes bytes without converting the page again. */
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
  tags: string[];
  bytes: number;
}

/** Headers replayed with a cached body (the CSP carries the nonce the body's script tag was given). */
const KEPT_HEADERS = ["content-type", "content-security-policy", "cache-control"];

export class PageCache {
  private entries = new Map<string, Entry>();
  private byTag = new Map<string, Set<string>>();
  private bytes = 0;
  /** Bumped by every invalidation: a page rendered across one is not stored, as it may be stale. */
  generation = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Least recently used goes first: re-insert to mark as recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag) ?? new Set<string>();
      this.byTag.set(tag, keys);
      keys.add(key);
    }
    while (this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags) this.byTag.get(tag)?.delete(key);
  }

  invalidate(tags: string[]): number {
    this.generation++;
    let n = 0;
    for (const tag of tags) {
      for (const key of this.byTag.get(tag) ?? []) {
        this.delete(key);
        n++;
      }
      this.byTag.delete(tag);
    }
    return n;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The cache tags a change notification touches. */
export function tagsFor(payload: string): string[] | "all" {
  let change: { t?: number; c?: number; oc?: number | null; all?: boolean };
  try {
    change = JSON.parse(payload);
  } catch {
    return "all";
  }
  if (change.all) return "all";
  const tags = ["home", "feeds", "sitemap", "physicians", "articles"];
  if (change.t) tags.push(`thread:${change.t}`);
  if (change.c) tags.push(`category:${change.c}`);
  if (change.oc) tags.push(`category:${change.oc}`);
  return tags;
}

declare module "fastify" {
  interface FastifyReply {
    /** Marks this response cacheable for signed-out readers, under these tags. */
    cacheTags(tags: string[]): FastifyReply;
  }
  interface FastifyInstance {
    pageCache: PageCache | null;
  }
}

const CHANNEL = "curbside_pages";

export default fp(
  async function pageCache(app: FastifyInstance, opts: { databaseUrl?: string; maxBytes?: number }) {
    const cache = app.config.pageCache && opts.databaseUrl ? new PageCache(opts.maxBytes ?? 64 * 1024 * 1024) : null;
    app.decorate("pageCache", cache);
    const tagsOf = new WeakMap<FastifyReply, string[]>();
    const startedAt = new WeakMap<FastifyRequest, number>();
    app.decorateReply("cacheTags", function cacheTags(this: FastifyReply, tags: string[]) {
      tagsOf.set(this, tags);
      return this;
    });
    if (!cache || !opts.databaseUrl) return;

    // One connection per instance listens; if it drops, everything cached is dropped and it reconnects.
    let listener: pg.Client | null = null;
    let closing = false;
    let retry: NodeJS.Timeout | undefined;
    const listen = async () => {
      const client = new pg.Client({ connectionString: opts.databaseUrl });
      client.on("notification", (message) => {
        const tags = tagsFor(message.payload ?? "");
        if (tags === "all") cache.clear();
        else cache.invalidate(tags);
      });
      client.on("error", () => {
        /* handled by "end" */
      });
      client.on("end", () => {
        cache.clear();
        if (!closing) retry = setTimeout(() => void listen().catch(() => {}), 1_000);
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL}`);
        listener = client;
      } catch (error) {
        app.log.warn({ err: error }, "page cache: could not listen for changes; pages are not cached until it can");
        await client.end().catch(() => {});
      }
    };
    await listen();
    app.addHook("onClose", async () => {
      closing = true;
      clearTimeout(retry);
      await listener?.end().catch(() => {});
    });

    const sessionCookie = app.lucia.sessionCookieName;
    const eligible = (request: FastifyRequest) =>
      (request.method === "GET" || request.method === "HEAD") &&
      listener !== null &&
      !request.cookies[sessionCookie] &&
      !request.url.includes("notice=");

    app.addHook("onRequest", async (request, reply) => {
      if (!eligible(request)) return;
      const entry = cache.get(request.url);
      if (!entry) {
        cache.misses++;
        startedAt.set(request, cache.generation);
        return;
      }
      cache.hits++;
      reply.headers(entry.headers).header("etag", entry.etag).header("x-page-cache", "hit");
      if (request.headers["if-none-match"] === entry.etag) return reply.code(304).send();
      return reply.code(200).send(entry.body);
    });

    app.addHook("onSend", async (request, reply, payload) => {
      const tags = tagsOf.get(reply);
      if (!tags || reply.getHeader("x-page-cache") === "hit") return payload;
      if (!eligible(request) || request.viewer || reply.statusCode !== 200 || reply.getHeader("set-cookie")) return payload;
      if (typeof payload !== "string" || startedAt.get(request) !== cache.generation) return payload;
      const etag = `W/"${createHash("sha1").update(payload).digest("base64url")}"`;
      // Readers' browsers revalidate every time (a 304 costs nothing), so a change shows at once.
      reply.header("cache-control", "no-cache").header("etag", etag).header("x-page-cache", "miss");
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      const body = Buffer.from(payload);
      cache.set(request.url, { body, etag, headers, tags, bytes: body.length });
      if (request.headers["if-none-match"] === etag) {
        reply.code(304);
        return "";
      }
      return payload;
    });
  },
  { name: "page-cache", dependencies: ["session", "views"] },
);
