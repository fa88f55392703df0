// The compose deployment's database roles, on a real PostgreSQL with a superuser apart from the app: the init
// script (docker/postgres-init) run as the postgres image runs it, the app's start-up steps as the non-superuser
// `curbside` (wait, migrate, seal), and the append-only audit log holding against that role.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../src/db/embedded.ts";
import { migrate } from "../src/db/migrate.ts";
import { sealAuditLog, waitForDatabase } from "../src/db/wait.ts";
import { type DebianCluster, debianPostgresBin, SKIP_REASON, startDebianCluster } from "./helpers/debian-postgres.ts";

const ROOT = join(import.meta.dirname, "..");
const installed = debianPostgresBin() !== null;
if (!installed) console.warn(`docker-roles.test.ts skipped: ${SKIP_REASON}`);

const APP_PASSWORD = "app-role-password-for-this-test";
let cluster: DebianCluster;
let app: pg.Client;
let appUrl: string;

beforeAll(async () => {
  if (!installed) return;
  cluster = await startDebianCluster();
  const env = { PATH: `${cluster.bin}:/usr/bin:/bin`, PGHOST: cluster.socketDir, PGPORT: String(cluster.port) };
  // What the postgres image does first with POSTGRES_DB, then each /docker-entrypoint-initdb.d script.
  await cluster.asPostgres(join(cluster.bin, "createdb"), ["curbside"], env);
  await cluster.asPostgres("sh", [join(ROOT, "docker", "postgres-init", "10-curbside-roles.sh")], {
    ...env,
    POSTGRES_USER: "postgres",
    POSTGRES_DB: "curbside",
    CURBSIDE_DB_PASSWORD: APP_PASSWORD,
  });
  appUrl = cluster.url("curbside", APP_PASSWORD, "curbside");
  // The app's start-up, as src/server.ts runs it.
  await waitForDatabase(appUrl, 10_000, () => {});
  await migrate(appUrl, join(ROOT, "migrations"), () => {});
  expect(await sealAuditLog(appUrl)).toBe("sealed");
  app = new pg.Client({ connectionString: appUrl });
  await app.connect();
}, 180_000);

afterAll(async () => {
  await app?.end().catch(() => {});
  await cluster?.stop();
});

/** The error code a statement fails with as the app's role, or "ok". */
async function asApp(sql: string, values: unknown[] = []): Promise<string> {
  try {
    await app.query(sql, values);
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe.skipIf(!installed)("the app's database role in the compose deployment", () => {
  it("is not a superuser, and owns the app's tables but not ModerationLog", async () => {
    const role = await app.query(
      "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = current_user",
    );
    expect(role.rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false });
    const owners = await app.query<{ relname: string; owner: string }>(
      `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c WHERE c.relname IN ('User', 'Thread', 'ModerationLog')`,
    );
    expect(Object.fromEntries(owners.rows.map((r) => [r.relname, r.owner]))).toEqual({
      User: "curbside",
      Thread: "curbside",
      ModerationLog: "curbside_audit",
    });
  });

  it("can add to the audit log and read it, and nothing else, whatever it tries", async () => {
    const user = randomUUID();
    expect(
      await asApp(`INSERT INTO "User" (id, email, "passwordHash", pseudonym, "pseudonymKey") VALUES ($1, $2, 'x', 'Auditor', 'auditor')`, [
        user,
        `${user}@example.test`,
      ]),
    ).toBe("ok");
    expect(
      await asApp(`INSERT INTO "ModerationLog" ("actorId", action, "targetType", "targetId") VALUES ($1, 'test', 'USER', $2)`, [
        user,
        user,
      ]),
    ).toBe("ok");
    expect((await app.query(`SELECT count(*)::int AS n FROM "ModerationLog"`)).rows[0].n).toBe(1);
    const refused: Record<string, string> = {};
    for (const [what, sql] of Object.entries({
      update: `UPDATE "ModerationLog" SET action = 'changed'`,
      delete: `DELETE FROM "ModerationLog"`,
      truncate: `TRUNCATE "ModerationLog"`,
      disableTrigger: `ALTER TABLE "ModerationLog" DISABLE TRIGGER "ModerationLog_no_update_or_delete"`,
      disableAllTriggers: `ALTER TABLE "ModerationLog" DISABLE TRIGGER ALL`,
      dropTrigger: `DROP TRIGGER "ModerationLog_no_update_or_delete" ON "ModerationLog"`,
      dropTable: `DROP TABLE "ModerationLog" CASCADE`,
      takeOwnership: `ALTER TABLE "ModerationLog" OWNER TO curbside`,
      replaceTriggerFunction: `CREATE OR REPLACE FUNCTION curbside_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`,
      newTrigger: `CREATE TRIGGER sneaky BEFORE INSERT ON "ModerationLog" FOR EACH ROW EXECUTE FUNCTION curbside_refuse_audit_change()`,
      becomeAuditOwner: `SET ROLE curbside_audit`,
      replicaMode: `SET session_replication_role = replica`,
      replaceSealFunction: `CREATE OR REPLACE FUNCTION curbside_seal_audit_log() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$`,
    })) {
      refused[what] = await asApp(sql);
    }
    // 42501: insufficient privilege; 42939 would be a reserved name. Each one refused, none "ok".
    for (const [what, code] of Object.entries(refused)) expect(code, what).not.toBe("ok");
    expect(
      Object.values(refused).every((code) => code === "42501"),
      JSON.stringify(refused),
    ).toBe(true);
    // A GRANT by a non-owner only warns "no privileges were granted": the UPDATE after it is still refused.
    await asApp(`GRANT UPDATE, DELETE ON "ModerationLog" TO curbside`);
    expect(await asApp(`UPDATE "ModerationLog" SET action = 'changed'`)).toBe("42501");
    expect((await app.query(`SELECT action FROM "ModerationLog"`)).rows).toEqual([{ action: "test" }]);
  });

  it("a second start migrates nothing and seals again without harm", async () => {
    const again = await migrate(appUrl, join(ROOT, "migrations"), () => {});
    expect(again.applied).toEqual([]);
    expect(await sealAuditLog(appUrl)).toBe("sealed");
    expect(await asApp(`DELETE FROM "ModerationLog"`)).toBe("42501");
  });
});

describe("waiting for the database at start-up", () => {
  it("gives up after its limit with a clear message, logging each wait", async () => {
    const lines: string[] = [];
    const nowhere = `postgresql://curbside:secret@127.0.0.1:${await freePort()}/curbside`;
    const started = Date.now();
    await expect(waitForDatabase(nowhere, 1_500, (line) => lines.push(line))).rejects.toThrow(
      /did not answer within 2 s \(DATABASE_WAIT_SECONDS\)/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(lines[0]).toMatch(/^database: waiting for postgresql:\/\/curbside:\*\*\*\*@127\.0\.0\.1:\d+\/curbside \(/);
    expect(lines.join("\n")).not.toContain("secret");
  });
});
