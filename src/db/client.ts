// Creates the Prisma client over node-postgres. The app receives it by injection; nothing imports a global client.
// Beside Prisma, `db.prepared` runs a few hand-written read statements over the same pool as named prepared
// statements (parsed and planned once per connection): the queries every page view makes, where Prisma's
// per-query work was most of a signed-in page's cost. Writes and everything else go through Prisma.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";

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

export interface PreparedReader {
  rows<T>(statement: Statement, values: unknown[]): Promise<T[]>;
}

export type Database = PrismaClient & { readonly prepared: PreparedReader };

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
      const result = await pool.query({ name: s.name, text: s.text, values });
      return result.rows as T[];
    },
  };
  return Object.assign(db, {
    prepared,
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
