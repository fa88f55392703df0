// Read replicas (DATABASE_READ_URL) on a real streaming replica: Debian's PostgreSQL, a primary and a hot standby
// made with pg_basebackup -R. Signed-out page views read from the standby; a person's own post shows at once
// while the standby's replay is paused; a signed-out reader meanwhile gets the standby's older view, never stored
// in the page cache, and the new one once replay resumes; with the standby gone, pages come from the primary.
// pg_stat_statements on both servers says which one ran the app's statements.
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createDatabase, type Database } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { seedBase } from "../src/db/seed.ts";
import { testPasswords } from "./helpers/app.ts";
import { debianPostgresBin, type ReplicatedPair, SKIP_REASON, startReplicatedPair } from "./helpers/debian-postgres.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { within } from "./helpers/wait.ts";

const ROOT = join(import.meta.dirname, "..");
const installed = debianPostgresBin() !== null;
if (!installed) console.warn(`replica.test.ts skipped: ${SKIP_REASON}`);

const APP_PASSWORD = "replica-test-app-password";
const METRICS = "replica-test-metrics-token-0123456789";
const SUPER_PASSWORD = "replica-test-superuser-password";
let pair: ReplicatedPair;
let primaryUrl: string;
let baseEnv: Record<string, string>;
let primary: Database;
let replica: Database;
let app: FastifyInstance;
/** Superuser connections, to pause replay and read pg_stat_statements. */
let primaryAdmin: pg.Client;
let standbyAdmin: pg.Client;
const logs: string[] = [];
let physician: UserFixture;
let patient: UserFixture;
let threadId: number;
/** Statements the app ran on each server during the signed-out reads of the first test, for the report. */
const tally = { replica: 0, primary: 0 };
/** The same counters when the first test began, for the figures of the whole run while the standby was up. */
const atStart = { replica: 0, primary: 0 };

beforeAll(async () => {
  if (!installed) return;
  const preload = ["-c shared_preload_libraries=pg_stat_statements", "-c pg_stat_statements.track=all"];
  pair = await startReplicatedPair(preload);
  const env = { PATH: `${pair.primary.bin}:/usr/bin:/bin`, PGHOST: pair.primary.socketDir, PGPORT: String(pair.primary.port) };
  const psql = (sql: string, database = "postgres") =>
    pair.primary.asPostgres("psql", ["-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql], env);
  await psql(`ALTER ROLE postgres PASSWORD '${SUPER_PASSWORD}'`);
  await psql(`CREATE ROLE curbside LOGIN PASSWORD '${APP_PASSWORD}'`);
  await psql("CREATE DATABASE curbside OWNER curbside");
  await psql("CREATE EXTENSION pg_stat_statements", "curbside");
  primaryUrl = pair.primary.url("curbside", APP_PASSWORD, "curbside");
  await migrate(primaryUrl, join(ROOT, "migrations"), () => {});
  primary = createDatabase(primaryUrl, 5);
  replica = createDatabase(pair.standby.url("curbside", APP_PASSWORD, "curbside"), 5);
  await seedBase(primary);
  primaryAdmin = new pg.Client({ connectionString: pair.primary.url("postgres", SUPER_PASSWORD, "curbside") });
  await primaryAdmin.connect();
  // The standby has the migrated schema and the categories once it has replayed this far.
  const { rows } = await primaryAdmin.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
  standbyAdmin = new pg.Client({ connectionString: pair.standby.url("postgres", SUPER_PASSWORD, "curbside") });
  standbyAdmin.on("error", () => {}); // the last test stops the standby under it
  await within(60_000, async () => {
    await standbyAdmin.connect().catch(() => {});
    const r = await standbyAdmin
      .query<{ ok: boolean }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok", [rows[0]?.lsn])
      .catch(() => ({ rows: [{ ok: false }] }));
    return r.rows[0]?.ok === true;
  });

  physician = await createUser(primary, "physician");
  patient = await createUser(primary, "patient");
  threadId = (
    await createThread(primary, patient, { title: "Clotting tests before a transfer", body: "Which clotting tests are worth asking for?" })
  ).id;
  baseEnv = {
    NODE_ENV: "test",
    PUBLIC_URL: "http://localhost:3000",
    RATE_LIMIT_PER_MINUTE: "1000000",
    PAGE_CACHE: "true",
    DATABASE_URL: primaryUrl,
    DATABASE_READ_URL: pair.standby.url("curbside", APP_PASSWORD, "curbside"),
    // Generous: the replay pauses below must not outlast it on a loaded machine.
    DATABASE_READ_MAX_LAG_SECONDS: "600",
    METRICS_TOKEN: METRICS,
  };
  const config = loadConfig(baseEnv);
  app = await buildApp({
    config,
    db: primary,
    replica,
    databaseUrl: primaryUrl,
    passwords: testPasswords,
    logger: { level: "warn", stream: { write: (line: string) => void logs.push(line) } },
  });
  await app.ready();
}, 300_000);

afterAll(async () => {
  await app?.close();
  await primary?.$disconnect();
  await replica?.$disconnect();
  await primaryAdmin?.end().catch(() => {});
  await standbyAdmin?.end().catch(() => {});
  await pair?.stop();
}, 120_000);

const http = () => request(app.server);

/**
 * Statements the app's role has run on this server in its database (pg_stat_statements counts every call), but
 * for the WAL positions the routing itself asks for and the page cache's LISTEN.
 */
async function appStatements(admin: pg.Client): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT coalesce(sum(s.calls), 0)::int AS n FROM pg_stat_statements s
     JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid
     WHERE d.datname = 'curbside' AND r.rolname = 'curbside' AND s.query !~ '(pg_current_wal_lsn|pg_last_wal_replay_lsn|^LISTEN)'`,
  );
  return rows[0]?.n ?? 0;
}

/** Whether the standby has replayed the row with this reply text. */
async function standbyHas(body: string): Promise<boolean> {
  const { rows } = await standbyAdmin.query(`SELECT 1 FROM "Reply" WHERE body = $1`, [body]);
  return rows.length > 0;
}

// Generous: two PostgreSQL servers and an app on a machine that may be loaded.
describe.skipIf(!installed)("reads from a streaming replica", { timeout: 180_000 }, () => {
  it("sends signed-out page views, search and the sitemap to the replica, and none of them to the primary", async () => {
    await within(30_000, async () => (await standbyAdmin.query(`SELECT 1 FROM "Thread" WHERE id = $1`, [threadId])).rows.length > 0);
    const onReplica = await appStatements(standbyAdmin);
    const onPrimary = await appStatements(primaryAdmin);
    Object.assign(atStart, { replica: onReplica, primary: onPrimary });
    for (const path of [
      "/",
      `/t/${threadId}`,
      "/c/recurrent-pregnancy-loss",
      "/search?q=clotting",
      "/sitemap.xml",
      "/feeds/answered.atom",
    ]) {
      const res = await http().get(path);
      expect(res.status, path).toBe(200);
      if (path.startsWith("/search")) expect(textOf(res.text)).toContain("Clotting tests before a transfer");
    }
    tally.replica = (await appStatements(standbyAdmin)) - onReplica;
    tally.primary = (await appStatements(primaryAdmin)) - onPrimary;
    console.log(`replica.test.ts: signed-out reads ran ${tally.replica} statements on the replica, ${tally.primary} on the primary`);
    expect(tally.replica).toBeGreaterThan(5);
    expect(tally.primary).toBe(0);
    expect((await http().get("/readyz")).body).toEqual({ status: "ready", replica: "up" });
    const metrics = (await http().get("/metrics").set("authorization", `Bearer ${METRICS}`)).text;
    expect(metrics).toMatch(/^curbside_read_replica_up 1$/m);
    expect(metrics).toMatch(/^curbside_db_replica_pool_connections\{state="total"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^curbside_read_replica_behind_bytes \d+$/m);
  });

  it("shows a person their own answer at once while the standby's replay is paused; signed-out readers get it once replayed", async () => {
    const doc = request.agent(app.server);
    await logIn(doc, physician);
    const path = `/t/${threadId}`;
    // The page as signed-out readers have it, stored in the page cache.
    await within(30_000, async () => (await http().get(path)).headers["x-page-cache"] === "hit");

    await standbyAdmin.query("SELECT pg_wal_replay_pause()");
    try {
      const body = "Ask for lupus anticoagulant and anticardiolipin antibodies first.";
      const answer = await submit(doc, path, `/t/${threadId}/replies`, { body, parentId: "" });
      expect(answer.status).toBe(303);
      expect(String(answer.headers["set-cookie"])).toMatch(
        /curbside_wrote=[0-9A-F]+\/[0-9A-F]+; Max-Age=60; Path=\/; HttpOnly; SameSite=Lax/,
      );
      // The author sees it at once (their reads go to the primary); the standby has not replayed it.
      expect(textOf((await doc.get(path)).text)).toContain(body);
      expect(await standbyHas(body)).toBe(false);

      // Signed-out readers: the change notice dropped the stored page; the standby's older page is shown, and
      // not stored, however often it is asked for.
      await within(10_000, async () => (await http().get(path)).headers["x-page-cache"] === undefined);
      for (let i = 0; i < 3; i++) {
        const stale = await http().get(path);
        expect(stale.status).toBe(200);
        expect(textOf(stale.text)).toContain("Which clotting tests are worth asking for?");
        expect(textOf(stale.text)).not.toContain(body);
        expect(stale.headers["x-page-cache"]).toBeUndefined();
      }
      expect(app.pageCache?.get(path)).toBeUndefined();

      // After signing out, the same browser still finds its answer: its last form left the primary's position.
      await submit(doc, "/account", "/logout", {});
      const signedOut = await doc.get(path);
      expect(signedOut.headers["set-cookie"] ?? "").not.toMatch(/curbside_session=[^;]/);
      expect(textOf(signedOut.text)).toContain(body);
    } finally {
      await standbyAdmin.query("SELECT pg_wal_replay_resume()");
    }

    const body = "Ask for lupus anticoagulant and anticardiolipin antibodies first.";
    await within(30_000, () => standbyHas(body));
    // Once replayed, signed-out readers get the new page, stored, and the stored page is the new one.
    await within(30_000, async () => (await http().get(path)).headers["x-page-cache"] === "hit");
    const fresh = await http().get(path);
    expect(fresh.headers["x-page-cache"]).toBe("hit");
    expect(textOf(fresh.text)).toContain(body);
    const replicaRun = (await appStatements(standbyAdmin)) - atStart.replica;
    const primaryRun = (await appStatements(primaryAdmin)) - atStart.primary;
    console.log(
      `replica.test.ts: while the standby was up, ${replicaRun} statements ran on it and ${primaryRun} on the primary (sign-in, the answer, signed-in pages)`,
    );
  });

  it("reads from the primary, and stores pages again, once the replica lags longer than DATABASE_READ_MAX_LAG_SECONDS", async () => {
    const lagLogs: string[] = [];
    const lagApp = await buildApp({
      config: loadConfig({ ...baseEnv, DATABASE_READ_MAX_LAG_SECONDS: "1" }),
      db: primary,
      replica,
      databaseUrl: primaryUrl,
      passwords: testPasswords,
      logger: { level: "warn", stream: { write: (line: string) => void lagLogs.push(line) } },
    });
    await lagApp.ready();
    try {
      const path = `/t/${threadId}`;
      await standbyAdmin.query("SELECT pg_wal_replay_pause()");
      try {
        const body = "A second opinion: repeat the antibodies after twelve weeks.";
        await createReply(primary, physician, threadId, { body });
        // Shown stale, unstored, for a second at most; then read from the primary and stored as usual.
        const res = await request(lagApp.server).get(path);
        expect(res.status).toBe(200);
        await within(30_000, async () => textOf((await request(lagApp.server).get(path)).text).includes(body));
        await within(10_000, async () => (await request(lagApp.server).get(path)).headers["x-page-cache"] === "hit");
        expect(await standbyHas(body)).toBe(false);
        expect(lagLogs.join("\n")).toContain("read replica lags behind: reading from the primary until it catches up");
      } finally {
        await standbyAdmin.query("SELECT pg_wal_replay_resume()");
      }
    } finally {
      await lagApp.close();
    }
  });

  it("serves pages from the primary, with a warning, while the replica is down; never an error page", async () => {
    // An instance whose probe has not yet noticed: its first reads meet the outage and are read again from the primary.
    const downLogs: string[] = [];
    const unaware = await buildApp({
      config: loadConfig(baseEnv),
      db: primary,
      replica,
      replicaProbeMs: 600_000,
      databaseUrl: primaryUrl,
      passwords: testPasswords,
      logger: { level: "warn", stream: { write: (line: string) => void downLogs.push(line) } },
    });
    await unaware.ready();
    try {
      const before = await appStatements(primaryAdmin);
      await pair.standby.stop();
      const title = "Ferritin before a frozen transfer";
      const created = await createThread(primary, patient, { title, body: "Is a low ferritin a reason to wait?" });
      for (const path of [`/t/${created.id}`, "/", "/search?q=ferritin", "/c/recurrent-pregnancy-loss"]) {
        const res = await request(unaware.server).get(path);
        expect(res.status, path).toBe(200);
        if (!["/", "/c/recurrent-pregnancy-loss"].includes(path)) expect(textOf(res.text), path).toContain(title);
        expect((await http().get(path)).status, path).toBe(200);
      }
      expect(await appStatements(primaryAdmin)).toBeGreaterThan(before);
      expect(downLogs.join("\n")).toContain("read replica unreachable: reading from the primary until it answers again");
      expect((await request(unaware.server).get("/readyz")).body).toEqual({ status: "ready", replica: "down" });
      // The other instance's probe finds it down too.
      await within(10_000, async () => (await http().get("/readyz")).body.replica === "down");
      const ready = await http().get("/readyz");
      expect(ready.status).toBe(200);
      expect(logs.join("\n")).toContain("read replica unreachable");
    } finally {
      await unaware.close();
    }
  });
});
