// Prisma's schema engine, run as WebAssembly so that migrations can be written and checked offline
// (the native engine is a download these machines cannot make). Development and test use only.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { readMigrations } from "./migrate.ts";

const require = createRequire(import.meta.url);

// Node has WebAssembly; @types/node doesn't describe it (that lives in the DOM library), so type what we use.
const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

interface EngineModule {
  __wbg_set_wasm(wasm: Record<string, unknown>): void;
  SchemaEngine: {
    new: (options: unknown, log: (line: string) => void, adapter: unknown) => Promise<SchemaEngine>;
  };
}

interface SchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string }>;
  free?(): void;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const CHARACTER_COLUMN = ColumnTypeEnum.Character;

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Fields = { fields?: { dataTypeID: number }[] };

/**
 * Adapts adapter-pg 7.10 to what the schema engine needs:
 * - it reads pg_catalog columns of Postgres' one-byte "char" type, which adapter-pg rejects; they are reported
 *   as the driver-adapter "Character" type the engine expects;
 * - adapter-pg splits scripts on ";", which breaks function bodies, while Postgres runs a multi-statement
 *   script as it is.
 */
function forSchemaEngine(adapter: Adapter, pool: pg.Pool): Adapter {
  const charColumns = new WeakMap<object, number[]>();
  const target = adapter as unknown as { performIO(query: object): Promise<Fields> };
  const performIO = target.performIO.bind(adapter);
  target.performIO = async (query) => {
    const result = await performIO(query);
    const indices: number[] = [];
    result.fields?.forEach((field, i) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        indices.push(i);
      }
    });
    if (indices.length > 0) charColumns.set(query, indices);
    return result;
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(query) ?? []) result.columnTypes[i] = CHARACTER_COLUMN;
    return result;
  };
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  return adapter;
}

function poolConfig(url: string, database?: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: database ?? decodeURIComponent(u.pathname.slice(1)),
    max: 2,
    connectionTimeoutMillis: 10_000,
  };
}

/** A driver-adapter factory whose shadow databases are dropped only after their pool is closed. */
function adapterFactory(url: string) {
  const mainPool = new pg.Pool(poolConfig(url));
  const main = new PrismaPg(mainPool, { disposeExternalPool: true, schema: "public" });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => forSchemaEngine(await main.connect(), mainPool),
    async connectToShadowDb() {
      const name = `curbside_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
      const admin = new pg.Client(poolConfig(url));
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const shadowPool = new pg.Pool(poolConfig(url, name));
      const shadow = new PrismaPg(shadowPool, { disposeExternalPool: true, schema: "public" });
      const adapter = forSchemaEngine(await shadow.connect(), shadowPool);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        const cleaner = new pg.Client(poolConfig(url));
        await cleaner.connect();
        await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await cleaner.end();
      };
      return adapter;
    },
  };
}

let engineModule: Promise<EngineModule> | undefined;

function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as EngineModule;
    const dir = dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bytes = await readFile(join(dir, "schema_engine_bg.wasm"));
    const { instance } = await Wasm.instantiate(bytes, { "./schema_engine_bg.js": glue as never });
    glue.__wbg_set_wasm(instance.exports);
    // Initialises wasm-bindgen's table of JS values (null, undefined, …); the package's own entry does the same.
    (instance.exports.__wbindgen_start as () => void)();
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
      set_message(message: string) {
        throw new Error(`Prisma schema engine panicked: ${message}`);
      },
    };
    return glue;
  })();
  return engineModule;
}

export interface MigrationsDir {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: { path: string; migrationFile: { path: string; content: { tag: "ok"; value: string } } }[];
}

export async function readMigrationsDir(baseDir: string): Promise<MigrationsDir> {
  const migrationDirectories = (await readMigrations(baseDir)).map((m) => ({
    path: m.name,
    migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: m.sql } },
  }));
  let lock: string | null = null;
  try {
    lock = await readFile(join(baseDir, "migration_lock.toml"), "utf8");
  } catch {
    lock = null;
  }
  return {
    baseDir: resolve(baseDir),
    lockfile: { path: "migration_lock.toml", content: lock },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/**
 * SQL that takes the database described by the migrations folder to the one described by the schema.
 * An empty string means no drift. `databaseUrl` names a server where shadow databases may be created.
 */
export async function diffMigrationsToSchema(options: { schemaPath: string; migrationsDir: string; databaseUrl: string }): Promise<string> {
  const glue = await loadEngineModule();
  const schema = await readFile(options.schemaPath, "utf8");
  const factory = bindMigrationAwareSqlAdapterFactory(adapterFactory(options.databaseUrl) as never);
  const engine = await glue.SchemaEngine.new({ datamodels: [[options.schemaPath, schema]] }, () => {}, factory);
  const migrations = await readMigrationsDir(options.migrationsDir);
  const from = migrations.migrationDirectories.length === 0 ? { tag: "empty" } : { tag: "migrations", ...migrations };
  const result = await engine.diff({
    from,
    to: { tag: "schemaDatamodel", files: [{ path: options.schemaPath, content: schema }] },
    script: true,
    exitCode: false,
    filters: { externalTables: [], externalEnums: [] },
  });
  engine.free?.();
  return result.stdout;
}

/** True when a diff script holds no statement (the engine writes a comment for an empty migration). */
export function isEmptyMigration(sql: string): boolean {
  return (
    sql
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("--")).length === 0
  );
}
