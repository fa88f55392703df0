// Migrations: applying them yields exactly the schema in prisma/schema.prisma (no drift), our runner keeps
// Prisma's bookkeeping table, and the audit log refuses changes at the database level.
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../src/db/migrate.ts";
import { diffMigrationsToSchema, isEmptyMigration } from "../src/db/schema-engine.ts";
import { createTestDatabase, serverUrl, type TestDatabase } from "./helpers/database.ts";
import { createUser } from "./helpers/factories.ts";

const ROOT = join(import.meta.dirname, "..");

describe("schema and migrations", () => {
  it("have no drift: the migrations produce exactly prisma/schema.prisma", async () => {
    const sql = await diffMigrationsToSchema({
      schemaPath: join(ROOT, "prisma", "schema.prisma"),
      migrationsDir: join(ROOT, "migrations"),
      databaseUrl: serverUrl(),
    });
    expect(sql.trim()).toBe("-- This is an empty migration.");
    expect(isEmptyMigration(sql)).toBe(true);
  }, 60_000);

  it("reports drift when the schema changes (so the check above can fail)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "curbside-drift-"));
    const schema = (await readFile(join(ROOT, "prisma", "schema.prisma"), "utf8")).replace(
      "  description String\n",
      "  description String\n  colour      String?\n",
    );
    await writeFile(join(dir, "schema.prisma"), schema);
    const sql = await diffMigrationsToSchema({
      schemaPath: join(dir, "schema.prisma"),
      migrationsDir: join(ROOT, "migrations"),
      databaseUrl: serverUrl(),
    });
    expect(isEmptyMigration(sql)).toBe(false);
    expect(sql).toContain('ADD COLUMN     "colour" TEXT');
  }, 60_000);
});

describe("migration runner", () => {
  let fresh: TestDatabase;
  let emptyUrl: string;
  const name = `curbside_migrate_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    fresh = await createTestDatabase();
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    emptyUrl = serverUrl(name);
  });
  afterAll(async () => {
    await fresh.drop();
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it("records each migration in _prisma_migrations as Prisma does, and is idempotent", async () => {
    const first = await migrate(emptyUrl, join(ROOT, "migrations"));
    const files = await readMigrations(join(ROOT, "migrations"));
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await migrate(emptyUrl, join(ROOT, "migrations"));
    expect(second.applied).toEqual([]);

    const client = new pg.Client({ connectionString: emptyUrl });
    await client.connect();
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    await client.end();
    expect(rows).toHaveLength(files.length);
    for (const [i, row] of rows.entries()) {
      const sql = await readFile(join(ROOT, "migrations", row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.migration_name).toBe(files[i]?.name);
    }
  });

  it("stops at a failing migration and leaves it recorded as unfinished", async () => {
    const dir = await mkdtemp(join(tmpdir(), "curbside-migrations-"));
    await cp(join(ROOT, "migrations"), dir, { recursive: true });
    const broken = join(dir, "29991231000000_broken");
    await mkdir(broken);
    await writeFile(join(broken, "migration.sql"), "CREATE TABLE broken (id int);\nSELECT no_such_function();\n");
    await expect(migrate(emptyUrl, dir)).rejects.toThrow(/29991231000000_broken failed/);
    const client = new pg.Client({ connectionString: emptyUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT finished_at FROM "_prisma_migrations" WHERE migration_name = '29991231000000_broken'`);
    const table = await client.query(`SELECT to_regclass('public.broken') AS t`);
    await client.end();
    expect(rows[0]?.finished_at).toBeNull();
    expect(table.rows[0]?.t).toBeNull(); // the failed migration's statements were rolled back
    await expect(migrate(emptyUrl, dir)).rejects.toThrow(/failed earlier/);
  });

  it("makes the moderation audit log append-only in the database itself", async () => {
    const moderator = await createUser(fresh.db, "moderator");
    const entry = await fresh.db.moderationLog.create({
      data: { actorId: moderator.id, action: "approve", targetType: "THREAD", targetId: "1" },
    });
    await expect(fresh.db.moderationLog.update({ where: { id: entry.id }, data: { action: "reject" } })).rejects.toThrow(/append-only/);
    await expect(fresh.db.moderationLog.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
    await expect(fresh.db.$executeRawUnsafe('TRUNCATE "ModerationLog"')).rejects.toThrow(/append-only/);
    expect(await fresh.db.moderationLog.count()).toBe(1);
  });
});
