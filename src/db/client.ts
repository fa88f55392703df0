// Creates the Prisma client over node-postgres. The app receives it by injection; nothing imports a global client.
// Beside Prisma, `db.prepared` runs a few hand-written read statements over the same pool as named prepared
// statements (parsed and planned once per connection): the queries every page view makes, where Prisma's
// per-query work was most of a signed-in page's cost. Writes and everything else go through Prisma.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { PREPARED_TYPES } from "./timestamps.ts";

/** A read statement with a fixed name: PostgreSQL keeps its plan per connection under that name. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** One name, one text: a name reused with another text would silently run the first one's plan. */
const statements = new Map<string, string>();
export function statement(name: string, text: string): Statement {
  const known = statements.get(name);
  if (known !== undefined && known !== text) throw new Error(`prepared statement "${name}" defined twice with different text`);
  statements.set(name, text);
  return { name, text };
}

/**
 * A statement's rows as arrays, read by column name. pg builds an object per row by copying one holding every
 * column's name, which for a wide statement (a thread page's replies have about 30 columns) cost more than
 * reading it.
 */
export interface Table<T> {
  readonly rows: readonly unknown[][];
  /** The value of `column` in `row`, as the statement's row type says. */
  get<K extends keyof T & string>(row: readonly unknown[], column: K): T[K];
}

export interface PreparedReader {
  rows<T>(statement: Statement, values: unknown[]): Promise<T[]>;
  table<T>(statement: Statement, values: unknown[]): Promise<Table<T>>;
}

/** Each statement's column positions by name, learnt from its first result (its text, so its columns, is fixed). */
const positions = new Map<string, Map<string, number>>();

function positionsOf(s: Statement, fields: readonly { name: string }[]): Map<string, number> {
  let at = positions.get(s.name);
  if (!at) {
    at = new Map(fields.map((f, i) => [f.name, i]));
    if (at.size !== fields.length) throw new Error(`prepared statement "${s.name}" returns two columns with the same name`);
    positions.set(s.name, at);
  }
  return at;
}

export type Database = PrismaClient & {
  readonly prepared: PreparedReader;
  /** The connection pool under both, for its counters (metrics). */
  readonly pool: pg.Pool;
};

const poolConfig = (url: string, poolSize: number): pg.PoolConfig => ({
  connectionString: url,
  max: poolSize,
  // pg waits forever by default; a page should fail fast when the database is away.
  connectionTimeoutMillis: 3_000,
  idleTimeoutMillis: 30_000,
});

function withPool(pool: pg.Pool): Database {
  pool.on("error", () => {}); // an idle connection dropped by the server: the next query reconnects
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  const prepared: PreparedReader = {
    async rows<T>(s: Statement, values: unknown[]) {
      const result = await pool.query({ name: s.name, text: s.text, values, types: PREPARED_TYPES });
      return result.rows as T[];
    },
    async table<T>(s: Statement, values: unknown[]): Promise<Table<T>> {
      const result = await pool.query<unknown[]>({ name: s.name, text: s.text, values, rowMode: "array", types: PREPARED_TYPES });
      const at = positionsOf(s, result.fields);
      return {
        rows: result.rows,
        get<K extends keyof T & string>(row: readonly unknown[], column: K): T[K] {
          const i = at.get(column);
          if (i === undefined) throw new Error(`prepared statement "${s.name}" has no column "${column}"`);
          return row[i] as T[K];
        },
      };
    },
  };
  return Object.assign(db, {
    prepared,
    pool,
    async $disconnect() {
      await PrismaClient.prototype.$disconnect.call(db);
      await pool.end().catch(() => {});
    },
  });
}

export function createDatabase(url: string, poolSize = 10): Database {
  return withPool(new pg.Pool(poolConfig(url, poolSize)));
}

/**
 * A client that reports every SQL statement it sends, for tests that count the queries a page costs. Every
 * statement passes through a pooled connection's query(), Prisma's and the prepared ones alike.
 */
export function createCountingDatabase(url: string, onQuery: (sql: string) => void, poolSize = 5): Database {
  const pool = new pg.Pool(poolConfig(url, poolSize));
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      onQuery(typeof first === "string" ? first : String((first as { text?: string } | undefined)?.text ?? ""));
      return query(...args);
    };
  });
  return withPool(pool);
}
