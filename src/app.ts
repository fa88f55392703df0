// buildApp: the whole forum as a Fastify instance, without listening. The server entry and the tests call it.
// Order: infrastructure plugins, then domain decorations, then feature routes.
import { randomBytes } from "node:crypto";
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
import articleRoutes from "./articles/routes.ts";
import { AttemptCounter } from "./auth/attempt-limit.ts";
import { LoginThrottle, type ThrottleLimits } from "./auth/login-throttle.ts";
import { createLucia } from "./auth/lucia.ts";
import recoveryRoutes from "./auth/recovery-routes.ts";
import authRoutes from "./auth/routes.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import feedRoutes from "./feeds/routes.ts";
import flagRoutes from "./flags/routes.ts";
import healthRoutes from "./health/routes.ts";
import { AppError } from "./lib/errors.ts";
import { createPasswordHasher, type PasswordHasher } from "./lib/passwords.ts";
import moderationRoutes from "./moderation/routes.ts";
import notificationRoutes from "./notifications/routes.ts";
import pageRoutes from "./pages/routes.ts";
import physicianRoutes from "./physicians/routes.ts";
import assets from "./plugins/assets.ts";
import benchRoutes from "./plugins/bench.ts";
import csrf from "./plugins/csrf.ts";
import errors, { renderErrorPage } from "./plugins/errors.ts";
import pageCache from "./plugins/page-cache.ts";
import security from "./plugins/security.ts";
import session from "./plugins/session.ts";
import staffTwoFactor from "./plugins/staff-two-factor.ts";
import views from "./plugins/views.ts";
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
  passwords?: PasswordHasher;
  /** Sign-in throttling; tests loosen or tighten it. */
  loginLimits?: ThrottleLimits;
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

/** Limits on what a request may carry; larger requests get a 413 page. */
export const BODY_LIMIT = 64 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 200 },
    // One line per request only when debugging; errors are always logged.
    logController: new LogController({ disableRequestLogging: !["debug", "trace"].includes(config.logLevel) }),
  });
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
  app.decorate("passwords", deps.passwords ?? createPasswordHasher());
  app.decorate("lucia", createLucia(deps.db, config));
  app.decorate("loginThrottle", new LoginThrottle(deps.loginLimits));
  app.decorate("attempts", new AttemptCounter());
  app.decorate("appSecret", secret);
  // At most 100 fields per form; node's parser returns a prototype-free object.
  await app.register(formbody, { bodyLimit: BODY_LIMIT, parser: (body) => querystring.parse(body, "&", "=", { maxKeys: 100 }) });
  app.addHook("onRequest", async (request) => {
    if (request.url.length > MAX_URL_LENGTH) throw new AppError("URI_TOO_LONG", "That address is too long. Check the link and try again.");
  });
  await app.register(security);
  await app.register(csrf);
  // Shutting down: new requests get a 503 page (and the connection closes) while those in flight finish.
  // Placed after cookie parsing (the page needs it) and before the session is read from the database.
  let draining = false;
  app.decorate("startDraining", () => {
    draining = true;
  });
  app.addHook("onRequest", async (request, reply) => {
    if (!draining) return;
    reply.header("connection", "close").header("retry-after", "5");
    if (request.url === "/readyz" || request.url === "/healthz") return reply.code(503).send({ status: "shutting down" });
    return renderErrorPage(request, reply, {
      status: 503,
      title: "Back in a moment",
      message: "Curbside is restarting. Please try again in a few seconds.",
    });
  });

  await app.register(session);
  await app.register(staffTwoFactor);
  await app.register(assets, { dir: join(ROOT, "public") });
  await app.register(views, { root: join(ROOT, "views") });
  await app.register(pageCache, { databaseUrl: deps.databaseUrl });
  await app.register(errors);
  await app.register(rateLimit, {
    // A coarse ceiling against floods; sign-in has its own, stricter per-account limits.
    max: config.rateLimitPerMinute,
    timeWindow: "1 minute",
    allowList: (request) => request.method === "GET" || request.url === "/healthz" || request.url === "/readyz",
  });
  await app.register(fastifyStatic, {
    root: join(ROOT, "public"),
    prefix: "/public/",
    maxAge: config.production ? "1d" : 0,
  });

  // Features.
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
  await app.register(safetyRoutes);
  await app.register(pageRoutes);
  await app.register(flagRoutes);
  await app.register(settingsRoutes);
  await app.register(notificationRoutes);
  await app.register(revisionRoutes);
  await app.register(subscriptionRoutes);
  await app.register(searchRoutes);
  await app.register(feedRoutes);

  return app;
}
