// The anonymous page cache. Signed-out readers (most visitors, arriving from search engines) get pages from
// memory with an ETag, and a 304 when they already have the page. Routes opt in and name what a page shows
// (`reply.cacheTags(...)`); PostgreSQL says what changed (triggers → NOTIFY curbside_pages at commit), and
// every instance LISTENs, so a new answer refreshes its thread, category and the home page everywhere.
// Never cached: anything for a signed-in person, a response that sets a cookie (a form's CSRF token), a
// page with a flash notice, and any status but 200.
// The same notices drop the sessions kept for signed-in page views (auth/session-cache.ts): {"u": id} names a
// person whose sessions, account or notifications changed.
// A page is gzipped once, when it is stored (about 0.5 ms for a 38 KB thread page, to 7 KB), and browsers, which
// all accept gzip, get those bytes on every hit; a client that does not accept gzip gets the page as it is.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { constants, gzipSync } from "node:zlib";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import pg from "pg";
import { z } from "zod";
import { type KeptSession, SessionCache } from "../auth/session-cache.ts";
import { TaggedCache } from "../lib/tagged-cache.ts";
import { unstorable } from "./read-replica.ts";
import { CACHED_PAGE_CSP } from "./security.ts";

type Head = Record<string, string | number | string[]>;

interface Entry {
  /** Encoded once, so a hit writes bytes without converting the page again. */
  body: Buffer;
  /** The same page, gzipped once. */
  gzip: Buffer;
  etag: string;
  /** Every header of a hit, made when the page is stored: as it is, gzipped, and for a 304. */
  heads: { plain: Head; gzip: Head; notModified: Head };
  tags: string[];
  bytes: number;
  /** The route's pattern ("/t/:id/:slug"), for metrics: a hit is never routed. */
  route: string;
}

/** Told of every hit (metrics counts them): the route's pattern and the status sent. */
export type PageCacheHitListener = (route: string, status: 200 | 304, method: string) => void;

/** Headers of the stored response that are not replayed: per response, or set for each hit's encoding. */
const UNKEPT_HEADERS = new Set(["set-cookie", "content-length", "content-encoding", "x-page-cache", "date", "connection", "keep-alive"]);

/**
 * Whether an Accept-Encoding header takes gzip: listed (or "x-gzip") with a q above 0, or not listed when "*"
 * is, with a q above 0. No header means no encoding: a client asks for what it can decode.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.split(";");
    const coding = name.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split("=");
      if (key?.trim().toLowerCase() === "q") q = Number(value?.trim());
    }
    if (Number.isNaN(q)) q = 0;
    if (coding === "gzip" || coding === "x-gzip") gzip = Math.max(gzip ?? 0, q);
    else if (coding === "*") any = q;
  }
  return (gzip ?? any ?? 0) > 0;
}

/**
 * Whether a request's address is the one its page is stored under: one of `canonical` when the route names them,
 * or else its path followed by the route's declared query parameters as parsed, in the schema's order, without
 * those at their defaults (`/c/x?sort=activity&page=1` is `/c/x`). Anything else (an unknown parameter,
 * `page=01`, a repeated key) is rendered but never stored, so the number of stored addresses stays bounded.
 */
export function isCanonical(request: FastifyRequest, canonical?: string[]): boolean {
  const url = request.url;
  if (canonical) return canonical.includes(url);
  const path = url.split("?", 1)[0] as string;
  const schema = request.routeOptions.schema?.querystring;
  if (!(schema instanceof z.ZodObject)) return url === path;
  const defaults = (schema.safeParse({}).data ?? {}) as Record<string, unknown>;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const pairs: [string, string][] = [];
  for (const key of Object.keys(schema.shape)) {
    const value = query[key];
    if (value === undefined || value === null || value === "" || typeof value === "object") continue;
    if (defaults[key] !== undefined && String(defaults[key]) === String(value)) continue;
    pairs.push([key, String(value)]);
  }
  const search = new URLSearchParams(pairs).toString();
  if (search === "") return url === path;
  // A form sends spaces as "+", a link made with encodeURIComponent as "%20": both name the same page.
  return url === `${path}?${search}` || url === `${path}?${search.replaceAll("+", "%20")}`;
}

/**
 * What a change notification touches: the cache tags of pages, and a person whose kept sessions are dropped
 * (`{"u": id}`: their sessions, account or notifications changed, which no public page shows).
 */
export function changeOf(payload: string): { tags: string[] | "all"; user: string | null } {
  let change: { t?: number; c?: number; oc?: number | null; u?: string; all?: boolean };
  try {
    change = JSON.parse(payload);
  } catch {
    return { tags: "all", user: null };
  }
  if (change.all) return { tags: "all", user: null };
  if (typeof change.u === "string") return { tags: [], user: change.u };
  return { tags: tagsFor(change), user: null };
}

function tagsFor(change: { t?: number; c?: number; oc?: number | null }): string[] {
  const tags = ["home", "feeds", "sitemap", "physicians", "articles"];
  if (change.t) tags.push(`thread:${change.t}`);
  if (change.c) tags.push(`category:${change.c}`);
  if (change.oc) tags.push(`category:${change.oc}`);
  return tags;
}

/**
 * Pieces of pages that are the same for everyone (one page of a thread's replies, rendered), kept under the same
 * tags as pages and dropped by the same change notices. Null while changes cannot be heard.
 */
export interface FragmentCache {
  /**
   * Whether this request may be served from fragments: not for a few seconds after the same browser sent a form
   * (`FRESH_COOKIE`), so that a person sees their own change at once even if its notice is still on its way.
   */
  servesTo(request: FastifyRequest): boolean;
  get<T>(key: string): T | undefined;
  /** Call before reading what a fragment is made from, and pass the result to `set`. */
  begin(): number;
  /** Stores the fragment unless a change was heard since `begun` (it may have been made from stale rows). */
  set(key: string, value: unknown, tags: string[], bytes: number, begun: number): void;
}

/**
 * Sessions kept for page views (see auth/session-cache.ts). Null when the page cache is off; while changes cannot
 * be heard it keeps and serves nothing.
 */
export interface ViewerSessionCache {
  /** The session under this hash, if kept and not due for Lucia to extend or end. */
  get(key: string, now: number): KeptSession | undefined;
  /** Call before reading a session from the database, and pass the result to `set`. */
  begin(): number;
  set(key: string, kept: KeptSession, begun: number): void;
  forgetUser(userId: string): void;
}

declare module "fastify" {
  interface FastifyReply {
    /**
     * Marks this response cacheable for signed-out readers, under these tags. It is stored only under its
     * canonical address (see `isCanonical`), so that junk query strings and slugs cannot fill the cache: the
     * addresses given, or else the path with the route's query parameters as parsed, defaults left out.
     */
    cacheTags(tags: string[], canonical?: string[]): FastifyReply;
    /** What `cacheTags` was given (null: the page is not to be stored). */
    pageCacheTags: string[] | null;
    pageCacheCanonical: string[] | null;
  }
  interface FastifyRequest {
    /** The page cache's generation when this request missed it (-1: it did not ask). See onSend. */
    pageCacheGeneration: number;
  }
  interface FastifyInstance {
    pageCache: TaggedCache<Entry> | null;
    /**
     * Answers a signed-out GET or HEAD from the page cache, writing the stored bytes and headers straight to
     * the socket, and says whether it did. app.ts calls it from the first onRequest hook, so a hit runs no
     * other hook: no session, CSRF, cookie parsing or view engine.
     */
    answerFromPageCache(request: FastifyRequest, reply: FastifyReply): boolean;
    /**
     * The same, for a request before Fastify sees it: app.ts's server calls it first for every request, so a hit
     * costs no routing, no request or reply object and no logger; a miss goes on to Fastify as usual.
     */
    answerRawFromPageCache(req: IncomingMessage, res: ServerResponse): boolean;
    /** Metrics listens here, as hits answered before Fastify run no Fastify hook. */
    onPageCacheHit(listener: PageCacheHitListener): void;
    fragmentCache: FragmentCache | null;
    sessionCache: ViewerSessionCache | null;
  }
}

/** Requests Fastify saw that the cache answered: metrics counts them through `onPageCacheHit`, not onResponse. */
export const answeredFromPageCache = new WeakSet<FastifyRequest>();

const CHANNEL = "curbside_pages";
/** Set for a few seconds on the answer to a signed-in person's form: their next pages are read fresh. */
export const FRESH_COOKIE = "curbside_fresh";
const FRESH_SECONDS = 5;

export default fp(
  async function pageCache(app: FastifyInstance, opts: { databaseUrl?: string; maxBytes?: number }) {
    const enabled = app.config.pageCache && !!opts.databaseUrl;
    // One connection per instance listens; if it drops, everything cached is dropped and nothing is cached or
    // served from the cache until it is back (a change made meanwhile would go unheard).
    let listener: pg.Client | null = null;
    const cache = enabled ? new TaggedCache<Entry>(opts.maxBytes ?? 64 * 1024 * 1024) : null;
    const fragments = enabled ? new TaggedCache<{ value: unknown; tags: string[]; bytes: number }>(32 * 1024 * 1024) : null;
    app.decorate("pageCache", cache);
    app.decorate(
      "fragmentCache",
      fragments && {
        servesTo: (request: FastifyRequest) => listener !== null && !request.cookies[FRESH_COOKIE],
        get: <T>(key: string) => (listener ? (fragments.get(key)?.value as T | undefined) : undefined),
        begin: () => fragments.generation,
        set: (key: string, value: unknown, tags: string[], bytes: number, begun: number) => {
          if (listener && fragments.generation === begun) fragments.set(key, { value, tags, bytes });
        },
      },
    );
    const sessions = enabled ? new SessionCache(10_000, app.config.session.idleMs / 2, app.config.session.absoluteMs) : null;
    app.decorate(
      "sessionCache",
      sessions && {
        get: (key: string, now: number) => (listener ? sessions.get(key, now) : undefined),
        begin: () => sessions.generation,
        set: (key: string, kept: KeptSession, begun: number) => {
          if (listener) sessions.set(key, kept, begun);
        },
        forgetUser: (userId: string) => sessions.forgetUser(userId),
      },
    );
    // Kept on the request and reply themselves rather than in WeakMaps keyed by them: a WeakMap's values
    // outlived their keys through the young-generation collections, so every page's tags (and whatever else a
    // per-request WeakMap held) were promoted and waited for a full collection.
    app.decorateReply("pageCacheTags", null);
    app.decorateReply("pageCacheCanonical", null);
    app.decorateRequest("pageCacheGeneration", -1);
    app.decorateReply("cacheTags", function cacheTags(this: FastifyReply, tags: string[], canonical?: string[]) {
      this.pageCacheTags = tags;
      if (canonical) this.pageCacheCanonical = canonical;
      return this;
    });
    let answer: FastifyInstance["answerFromPageCache"] = () => false;
    let answerRaw: FastifyInstance["answerRawFromPageCache"] = () => false;
    const hitListeners: PageCacheHitListener[] = [];
    app.decorate("answerFromPageCache", (request: FastifyRequest, reply: FastifyReply) => answer(request, reply));
    app.decorate("answerRawFromPageCache", (req: IncomingMessage, res: ServerResponse) => answerRaw(req, res));
    app.decorate("onPageCacheHit", (listener: PageCacheHitListener) => {
      hitListeners.push(listener);
    });
    if (!cache || !fragments || !sessions || !opts.databaseUrl) return;

    app.addHook("onSend", (request, reply, payload, done) => {
      if (request.viewer && request.method !== "GET" && request.method !== "HEAD") {
        reply.setCookie(FRESH_COOKIE, "1", {
          path: "/",
          maxAge: FRESH_SECONDS,
          httpOnly: true,
          sameSite: "lax",
          secure: app.config.secureCookies,
        });
      }
      done(null, payload);
    });
    const clearAll = () => {
      cache.clear();
      fragments.clear();
      sessions.clear();
    };
    let closing = false;
    let retry: NodeJS.Timeout | undefined;
    const listen = async () => {
      const client = new pg.Client({ connectionString: opts.databaseUrl });
      client.on("notification", (message) => {
        const { tags, user } = changeOf(message.payload ?? "");
        // Pages a replica renders from here on are stored only once it has replayed this change.
        if (!user) app.readRouting?.noteChange();
        if (tags === "all") {
          clearAll();
        } else if (user) {
          sessions.forgetUser(user);
        } else {
          cache.invalidate(tags);
          fragments.invalidate(tags);
        }
      });
      client.on("error", () => {
        /* handled by "end" */
      });
      client.on("end", () => {
        if (listener === client) listener = null;
        clearAll();
        if (!closing) retry = setTimeout(() => void listen().catch(() => {}), 1_000);
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL}`);
        // Anything stored before this point may predate a change no one heard.
        clearAll();
        app.readRouting?.noteChange();
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

    // The session cookie's name as it starts a pair in a Cookie header. Cookies are not parsed yet when a hit
    // is answered; a header that merely contains this text (another cookie's value) only misses the shortcut.
    const sessionPair = `${sessionCookie}=`;
    /** The stored page for a signed-out GET or HEAD, if there is one and the cache may serve. */
    const storedFor = (req: IncomingMessage): Entry | undefined => {
      const method = req.method;
      if ((method !== "GET" && method !== "HEAD") || listener === null) return undefined;
      const url = req.url as string;
      const cookie = req.headers.cookie;
      if (cookie?.includes(sessionPair) || url.includes("notice=")) return undefined;
      return cache.get(url);
    };
    const send = (entry: Entry, req: IncomingMessage, res: ServerResponse) => {
      let status: 200 | 304 = 200;
      if (req.headers["if-none-match"] === entry.etag) {
        status = 304;
        res.writeHead(304, entry.heads.notModified);
        res.end();
      } else if (acceptsGzip(req.headers["accept-encoding"])) {
        res.writeHead(200, entry.heads.gzip);
        res.end(entry.gzip);
      } else {
        res.writeHead(200, entry.heads.plain);
        res.end(entry.body);
      }
      for (const listen of hitListeners) listen(entry.route, status, req.method as string);
    };
    answerRaw = (req, res) => {
      const entry = storedFor(req);
      if (!entry) return false;
      send(entry, req, res);
      return true;
    };
    answer = (request, reply) => {
      const entry = storedFor(request.raw);
      if (!entry) {
        // A page rendered across a change notice is not stored (see onSend).
        request.pageCacheGeneration = cache.generation;
        return false;
      }
      reply.hijack();
      answeredFromPageCache.add(request);
      send(entry, request.raw, reply.raw);
      return true;
    };

    /** The payload to send, after storing the page when it may be stored. */
    const storeAndSend = (request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown => {
      const tags = reply.pageCacheTags;
      if (!tags || reply.getHeader("x-page-cache") === "hit") return payload;
      if (!eligible(request) || request.viewer || reply.statusCode !== 200 || reply.getHeader("set-cookie")) return payload;
      if (typeof payload !== "string" || request.pageCacheGeneration !== cache.generation || unstorable.has(request)) return payload;
      if (!isCanonical(request, reply.pageCacheCanonical ?? undefined)) return payload;
      // Weak: the gzipped bytes and the plain ones are the same page, so they share it.
      const etag = `W/"${createHash("sha1").update(payload).digest("base64url")}"`;
      // Readers' browsers revalidate every time (a 304 costs nothing), so a change shows at once. The page is
      // everyone's, so its policy names no nonce (see CACHED_PAGE_CSP); the first reader gets the same headers.
      reply
        .header("cache-control", "no-cache")
        .header("etag", etag)
        .header("vary", "accept-encoding")
        .header("content-security-policy", CACHED_PAGE_CSP)
        .header("x-page-cache", "miss");
      const body = Buffer.from(payload);
      const gzip = gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
      // Every header this response has now (the security headers, type, policy, ETag) is every hit's.
      const kept: Head = { "x-page-cache": "hit" };
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined && !UNKEPT_HEADERS.has(name)) kept[name] = value;
      }
      const heads = {
        plain: { ...kept, "content-length": body.length },
        gzip: { ...kept, "content-encoding": "gzip", "content-length": gzip.length },
        notModified: kept,
      };
      const route = request.routeOptions.url ?? "unmatched";
      cache.set(request.url, { body, gzip, etag, heads, tags, bytes: body.length + gzip.length, route });
      if (request.headers["if-none-match"] === etag) {
        reply.code(304);
        return "";
      }
      if (!acceptsGzip(request.headers["accept-encoding"])) return payload;
      reply.header("content-encoding", "gzip");
      return gzip;
    };
    app.addHook("onSend", (request, reply, payload, done) => done(null, storeAndSend(request, reply, payload)));
  },
  { name: "page-cache", dependencies: ["session", "views"] },
);
