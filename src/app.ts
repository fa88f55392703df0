// buildApp: the whole forum as a Fastify instance, without listening. The server entry and the tests call it.
// Order: infrastructure plugins, then domain decorations, then feature routes.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import querystring from "node:querystring";
import { fileURLToPath } from "node:url";
import formbody from "@fastify/formbody";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import accountRoutes from "./accounts/routes.ts";
import accountSecurityRoutes from "./accounts/security-routes.ts";
import membersRoutes from "./admin/members-routes.ts";
import setupRoutes from "./admin/setup-routes.ts";
import articleRoutes from "./articles/routes.ts";
import { AttemptCounter } from "./auth/attempt-limit.ts";
import { createLucia } from "./auth/lucia.ts";
import recoveryRoutes from "./auth/recovery-routes.ts";
import authRoutes from "./auth/routes.ts";
import { type SignInLimits, SignInThrottle } from "./auth/sign-in-throttle.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import { ReadRouting } from "./db/read-routing.ts";
import feedRoutes from "./feeds/routes.ts";
import flagRoutes from "./flags/routes.ts";
import healthRoutes from "./health/routes.ts";
import { AppError } from "./lib/errors.ts";
import { cookiesCannotWork } from "./lib/forms.ts";
import { createPasswordHasher, type PasswordHasher } from "./lib/passwords.ts";
import { CounterStore, rateLimitStore } from "./lib/throttle.ts";
import moderationRoutes from "./moderation/routes.ts";
import { announceThroughNotifications } from "./notifications/announcements.ts";
import notificationRoutes from "./notifications/routes.ts";
import pageRoutes from "./pages/routes.ts";
import physicianRoutes from "./physicians/routes.ts";
import assets from "./plugins/assets.ts";
import benchRoutes from "./plugins/bench.ts";
import csrf from "./plugins/csrf.ts";
import errors, { isDatabaseUnavailable, renderErrorPage } from "./plugins/errors.ts";
import metrics from "./plugins/metrics.ts";
import pageCache from "./plugins/page-cache.ts";
import readReplica from "./plugins/read-replica.ts";
import security from "./plugins/security.ts";
import session from "./plugins/session.ts";
import staffTwoFactor from "./plugins/staff-two-factor.ts";
import views from "./plugins/views.ts";
import { PostEvents } from "./posts/events.ts";
import revisionRoutes from "./revisions/routes.ts";
import safetyRoutes from "./safety/routes.ts";
import searchRoutes from "./search/routes.ts";
import settingsRoutes from "./settings/routes.ts";
import signalRoutes from "./signals/routes.ts";
import subscriptionRoutes from "./subscriptions/routes.ts";
import threadRoutes from "./threads/routes.ts";

const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..");

export interface AppDeps {
  config: Config;
  db: Database;
  /** A streaming replica of `db` (DATABASE_READ_URL), for reads that may be a moment stale. */
  replica?: Database;
  /** How often the replica is probed (default 2 s); tests slow it so that a query meets an outage first. */
  replicaProbeMs?: number;
  passwords?: PasswordHasher;
  /** Sign-in throttling; tests loosen or tighten it. */
  loginLimits?: Partial<SignInLimits>;
  /** The clock of the shared counters (sign-in throttling, rate limit); tests move it instead of waiting. */
  clock?: () => number;
  logger?: FastifyServerOptions["logger"];
  /** The database's URL, for the page cache's LISTEN connection (no cache without it). */
  databaseUrl?: string;
}

export interface RouteEntry {
  method: string;
  url: string;
}

/** Longer addresses get a 414 page. */
export const MAX_URL_LENGTH = 2048;

/** Characters from which a string payload is sent as bytes (a thread page is about 36,000). */
const LARGE_PAYLOAD = 8192;

/** Limits on what a request may carry; larger requests get a 413 page. */
export const BODY_LIMIT = 64 * 1024;

/**
 * Fastify's `trustProxy` for TRUST_PROXY. Fastify 5.12.8 ignores a hop count (it trusts no proxy, since a client
 * reaching the app directly could forge the headers), so a count becomes the function proxy-addr used to make of
 * it: trust the nearest `hops` addresses. docs/deploy-proxy.md says when that is safe.
 */
export function trustProxyOption(trust: Config["trustProxy"]): FastifyServerOptions["trustProxy"] {
  if (typeof trust !== "number") return trust;
  return trust === 0 ? false : (_address: string, hop: number) => hop < trust;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  // Set once the page cache is ready: answers a signed-out reader's stored page before Fastify sees the request.
  let shortcut: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
  let draining = false;
  const requestLogging = ["debug", "trace"].includes(config.logLevel);
  const options: FastifyServerOptions = {
    // Fastify's own HTTP server (the same settings it would apply), with the page cache in front: a hit writes
    // the stored bytes and headers at once, and costs no routing, request objects or hooks. While debugging
    // with one log line per request, every request goes through Fastify so that each is logged.
    serverFactory: (handler, opts) => {
      const server = createServer((req, res) => {
        if (draining || shortcut === null || !shortcut(req, res)) handler(req, res);
      });
      const o = opts as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
      server.keepAliveTimeout = o.keepAliveTimeout ?? 72_000;
      server.requestTimeout = o.requestTimeout ?? 0;
      server.setTimeout(o.connectionTimeout ?? 0);
      return server;
    },
    logger: deps.logger ?? { level: config.logLevel },
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 200 },
    // One line per request only when debugging; errors are always logged.
    logController: new LogController({ disableRequestLogging: !requestLogging }),
  };
  const app = Fastify(options);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Every route as Fastify registers it, so tests can check that each one has an authorization rule.
  const routeTable: RouteEntry[] = [];
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) if (method !== "HEAD") routeTable.push({ method, url: route.url });
  });
  app.decorate("routeTable", routeTable);

  // Infrastructure.
  // Unsubscribe links are signed with this; the server entry always provides one (see mail/secret.ts).
  const secret = config.appSecret ?? randomBytes(32).toString("base64url");
  app.decorate("config", { ...config, appSecret: secret });
  app.decorate("db", deps.db);
  // Read-mostly services get `reader`: the replica's reads where plugins/read-replica.ts allows, else the primary.
  const readRouting = deps.replica
    ? new ReadRouting({
        primary: deps.db,
        replica: deps.replica,
        isUnavailable: isDatabaseUnavailable,
        maxLagMs: config.databaseReadMaxLagMs,
        probeMs: deps.replicaProbeMs,
        warn: (details, message) => app.log.warn(details, message),
        info: (message) => app.log.info(message),
      })
    : null;
  await readRouting?.start();
  app.decorate("readRouting", readRouting);
  app.decorate("reader", readRouting?.reader ?? deps.db);
  app.decorate("passwords", deps.passwords ?? createPasswordHasher());
  app.decorate("lucia", createLucia(deps.db, config));
  // Counted in PostgreSQL, so that every instance on this database enforces one limit.
  const counters = new CounterStore(deps.db, deps.clock);
  app.decorate("signInThrottle", new SignInThrottle(counters, deps.loginLimits));
  app.decorate("attempts", new AttemptCounter(counters));
  app.decorate("appSecret", secret);
  if (typeof config.trustProxy === "number" && config.trustProxy > 0 && !["127.0.0.1", "::1", "localhost"].includes(config.host)) {
    app.log.warn(
      { trustProxy: config.trustProxy, host: config.host },
      "TRUST_PROXY is a hop count while the app listens beyond this machine: a client that reaches it without the proxy can choose its own address. Listen on 127.0.0.1 (HOST), or set TRUST_PROXY to the proxy's address.",
    );
  }
  if (cookiesCannotWork(config)) {
    app.log.warn(
      { publicUrl: config.publicUrl },
      "PUBLIC_URL is http:// but cookies are Secure: browsers drop Secure cookies over plain http, so no form or sign-in will work. Serve the site over https (and set PUBLIC_URL to it), or set SECURE_COOKIES=false for a local trial.",
    );
  }
  // Who hears that a post was published or decided: registered here, so that publishing imports none of them.
  app.decorate("postEvents", announceThroughNotifications(new PostEvents()));
  // At most 100 fields per form; node's parser returns a prototype-free object.
  await app.register(formbody, { bodyLimit: BODY_LIMIT, parser: (body) => querystring.parse(body, "&", "=", { maxKeys: 100 }) });
  // A signed-out reader's page held by the page cache is answered before Fastify sees the request (the server
  // above), and here, before every other hook, for what reaches Fastify otherwise (app.inject, request logging):
  // the stored bytes and headers go straight out, with no session, CSRF or view work. The plugin itself is
  // registered further down, so that its onSend hook sees the cookies other hooks set.
  app.addHook("onRequest", (request, reply, done) => {
    if (draining || !app.answerFromPageCache(request, reply)) done();
  });
  // Hooks that every request passes through are written with `done` rather than async: an async hook costs a
  // promise and a turn of the microtask queue per request even when it has nothing to do.
  app.addHook("onRequest", (request, _reply, done) => {
    if (request.url.length > MAX_URL_LENGTH) done(new AppError("URI_TOO_LONG", "That address is too long. Check the link and try again."));
    else done();
  });
  await app.register(security);
  await app.register(csrf);
  // Shutting down: new requests get a 503 page (and the connection closes) while those in flight finish.
  // Placed after cookie parsing (the page needs it) and before the session is read from the database.
  app.decorate("startDraining", () => {
    draining = true;
  });
  app.addHook("onRequest", (request, reply, done) => {
    if (!draining) return done();
    reply.header("connection", "close").header("retry-after", "5");
    // Answered here: the hooks after this one and the handler do not run (done is not called).
    if (request.url === "/readyz" || request.url === "/healthz") reply.code(503).send({ status: "shutting down" });
    else {
      renderErrorPage(request, reply, {
        status: 503,
        title: "Back in a moment",
        message: "Curbside is restarting. Please try again in a few seconds.",
      });
    }
  });

  await app.register(session);
  await app.register(readReplica);
  await app.register(staffTwoFactor);
  await app.register(assets, { dir: join(ROOT, "public") });
  await app.register(views, { root: join(ROOT, "views") });
  await app.register(pageCache, { databaseUrl: deps.databaseUrl });
  if (!requestLogging) shortcut = app.answerRawFromPageCache;
  await app.register(errors);
  await app.register(metrics);
  // A large page goes out as bytes. Given a string, node's response writes its headers and the page as one new
  // string (header + page), a second copy of the page on the JavaScript heap after the one that flattens the
  // template's output; given bytes, it writes the two side by side. Registered after the page cache's hook,
  // which stores pages as they were rendered.
  app.addHook("onSend", (_request, _reply, payload, done) => {
    done(null, typeof payload === "string" && payload.length > LARGE_PAYLOAD ? Buffer.from(payload) : payload);
  });
  await app.register(rateLimit, {
    // A coarse ceiling against floods; sign-in has its own, stricter per-account limits.
    max: config.rateLimitPerMinute,
    timeWindow: "1 minute",
    store: rateLimitStore(counters),
    // If the counters cannot be reached, the request goes on (and meets the database's own error handling).
    skipOnError: true,
    allowList: (request) => request.method === "GET" || request.url === "/healthz" || request.url === "/readyz",
  });
  await app.register(fastifyStatic, {
    root: join(ROOT, "public"),
    prefix: "/public/",
    maxAge: config.production ? "1d" : 0,
  });

  // Features. The safety guard first: posting routes review with its context.
  await app.register(safetyRoutes, { root: ROOT });
  await app.register(healthRoutes);
  if (config.benchMode) await app.register(benchRoutes, { profileDir: join(ROOT, "bench", "results", "profiles") });
  await app.register(authRoutes);
  await app.register(recoveryRoutes);
  await app.register(threadRoutes);
  await app.register(moderationRoutes);
  await app.register(physicianRoutes);
  await app.register(articleRoutes);
  await app.register(signalRoutes);
  await app.register(accountRoutes);
  await app.register(accountSecurityRoutes);
  await app.register(pageRoutes);
  await app.register(flagRoutes);
  await app.register(settingsRoutes);
  await app.register(membersRoutes);
  await app.register(setupRoutes);
  await app.register(notificationRoutes);
  await app.register(revisionRoutes);
  await app.register(subscriptionRoutes);
  await app.register(searchRoutes);
  await app.register(feedRoutes);

  return app;
}
