// The environment, parsed once at boot into a typed Config. Invalid settings stop the process with a clear list.
import { isIP } from "node:net";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

// proxy-addr's (and so Fastify's) names for address ranges.
const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  // A prefix length, or (for IPv4) a netmask such as 255.255.255.0.
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(prefix) === 4;
}

/**
 * Which proxies are trusted for X-Forwarded-For/-Proto/-Host, as Fastify's `trustProxy` takes it: true or false,
 * a hop count (the number of proxies in front of the app), or a comma list of addresses, CIDR ranges and
 * proxy-addr's names (loopback, linklocal, uniquelocal).
 */
export const trustProxySchema = z
  .string()
  .trim()
  .transform((value, ctx): boolean | number | string[] => {
    const lower = value.toLowerCase();
    if (lower === "true" || lower === "yes") return true;
    if (lower === "false" || lower === "no") return false;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= 100) return hops;
      ctx.addIssue({ code: "custom", message: "a hop count must be at most 100" });
      return z.NEVER;
    }
    const entries = value.split(",").map((e) => e.trim());
    const bad = entries.filter((e) => !isAddressOrRange(e));
    if (bad.length === 0) return entries;
    ctx.addIssue({
      code: "custom",
      message: `must be true, false, a hop count, or a comma list of addresses/CIDR ranges; not an address or range: ${bad.map((b) => JSON.stringify(b)).join(", ")}`,
    });
    return z.NEVER;
  });

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgresql:// URL");

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().trim().min(1).default("localhost"),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: postgresUrl.optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    DATABASE_READ_URL: postgresUrl.optional(),
    DATABASE_READ_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    DATABASE_READ_MAX_LAG_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
    DATABASE_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    DATA_DIR: z.string().trim().min(1).default(".data"),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    SMTP_URL: z
      .string()
      .trim()
      .refine((v) => /^smtps?:\/\//.test(v), "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().trim().min(3).default("Curbside <no-reply@curbside.invalid>"),
    MAIL_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    PAGE_CACHE: bool.optional(),
    BENCH_MODE: bool.default(false),
    TEMPLATE_RELOAD: bool.default(false),
    APP_SECRET: z.string().trim().min(32, "must be at least 32 characters").optional(),
    METRICS_TOKEN: z.string().trim().min(32, "must be at least 32 characters").optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    TRUST_PROXY: trustProxySchema.default(false),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
    SECURE_COOKIES: bool.optional(),
    SEED_DEMO: bool.optional(),
    RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(8_000).default(1_000),
    SESSION_IDLE_DAYS: z.coerce.number().min(0.01).max(90).default(7),
    SESSION_ABSOLUTE_DAYS: z.coerce.number().min(0.01).max(365).default(30),
    STAFF_TWO_FACTOR: bool.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.SEED_DEMO === true) {
      ctx.addIssue({ code: "custom", path: ["SEED_DEMO"], message: "demo accounts are never created in production" });
    }
    if (env.DATABASE_READ_URL && !env.DATABASE_URL) {
      // The embedded PostgreSQL has no replica: a read URL beside it would point at some other database.
      ctx.addIssue({ code: "custom", path: ["DATABASE_READ_URL"], message: "needs DATABASE_URL: it names a replica of that database" });
    }
    if (env.SESSION_IDLE_DAYS > env.SESSION_ABSOLUTE_DAYS) {
      ctx.addIssue({ code: "custom", path: ["SESSION_IDLE_DAYS"], message: "must not exceed SESSION_ABSOLUTE_DAYS" });
    }
  });

export interface Config {
  production: boolean;
  port: number;
  host: string;
  /** Where people reach the site; used in links and the Origin check. */
  publicUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** A streaming replica of DATABASE_URL for reads that may be a moment stale (docs/operations.md). */
  databaseReadUrl: string | undefined;
  /** The replica's own pool, apart from DATABASE_POOL_SIZE. */
  databaseReadPoolSize: number;
  /** How long the replica may stay behind a change before its reads go to the primary until it catches up. */
  databaseReadMaxLagMs: number;
  /** At start-up, how long to wait for DATABASE_URL's server to answer before giving up. */
  databaseWaitMs: number;
  dataDir: string;
  embeddedPgPort: number | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How often the mail worker looks for mail to send. */
  mailPollMs: number;
  /** Serve signed-out readers from memory (default: on, except in tests). */
  pageCache: boolean;
  /** Registers a hello-world route for the benchmark's baseline. */
  benchMode: boolean;
  /**
   * Read and compile every template again at each render, so edited files show without a restart. Only
   * `npm run dev` sets it: compiling made a signed-in page about 20 times slower.
   */
  templateReload: boolean;
  /** Signs unsubscribe links. When unset, the server keeps one in DATA_DIR/app-secret. */
  appSecret: string | undefined;
  logLevel: string;
  /** Fastify's `trustProxy`: which hops' X-Forwarded-* headers to believe (docs/deploy-proxy.md). */
  trustProxy: boolean | number | string[];
  /** Bearer token for /metrics; unset, /metrics does not exist. */
  metricsToken: string | undefined;
  /** Non-GET requests allowed per IP address per minute. */
  rateLimitPerMinute: number;
  secureCookies: boolean;
  seedDemo: boolean;
  session: { idleMs: number; absoluteMs: number };
  /** Rejected posts are deleted this many days after the decision. */
  retentionDays: number;
  /** On SIGTERM, how long new requests get 503 (so load balancers move away) before the server closes. */
  shutdownDrainMs: number;
  /**
   * Whether moderators and admins must use two-factor sign-in until an admin decides otherwise in the settings
   * (default: on in production, off elsewhere, so the demo accounts sign in with a password in development).
   */
  staffTwoFactorDefault: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const DAY = 24 * 60 * 60 * 1000;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings in .env files mean "unset".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  const displayHost = e.HOST === "0.0.0.0" || e.HOST === "::" ? "localhost" : e.HOST;
  return {
    production,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/$/, ""),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseReadUrl: e.DATABASE_READ_URL,
    databaseReadPoolSize: e.DATABASE_READ_POOL_SIZE,
    databaseReadMaxLagMs: e.DATABASE_READ_MAX_LAG_SECONDS * 1000,
    databaseWaitMs: e.DATABASE_WAIT_SECONDS * 1000,
    dataDir: e.DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailPollMs: e.MAIL_POLL_MS,
    appSecret: e.APP_SECRET,
    pageCache: e.PAGE_CACHE ?? e.NODE_ENV !== "test",
    benchMode: e.BENCH_MODE,
    templateReload: e.TEMPLATE_RELOAD,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    trustProxy: e.TRUST_PROXY,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    secureCookies: e.SECURE_COOKIES ?? production,
    seedDemo: e.SEED_DEMO ?? !production,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    staffTwoFactorDefault: e.STAFF_TWO_FACTOR ?? production,
    retentionDays: e.RETENTION_DAYS,
    session: { idleMs: e.SESSION_IDLE_DAYS * DAY, absoluteMs: e.SESSION_ABSOLUTE_DAYS * DAY },
  };
}
