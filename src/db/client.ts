// Creates the Prisma client over node-postgres. The app receives it by injection; nothing imports a global client.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Database = PrismaClient;

const poolConfig = (url: string, poolSize: number): pg.PoolConfig => ({
  connectionString: url,
  max: poolSize,
  // pg waits forever by default; a page should fail fast when the database is away.
  connectionTimeoutMillis: 3_000,
  idleTimeoutMillis: 30_000,
});

export function createDatabase(url: string, poolSize = 10): Database {
  return new PrismaClient({ adapter: new PrismaPg(poolConfig(url, poolSize)) });
}

/**
 * A client that reports every SQL statement it sends, for tests that count the queries a page costs. Every
 * statement passes through a pooled connection's query(); disconnecting also closes the pool.
 */
export function createCountingDatabase(url: string, onQuery: (sql: string) => void, poolSize = 5): Database {
  const pool = new pg.Pool(poolConfig(url, poolSize));
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      onQuery(typeof first === "string" ? first : String((first as { text?: string } | undefined)?.text ?? ""));
      return query(...args);
    };
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  return Object.assign(db, {
    async $disconnect() {
      await PrismaClient.prototype.$disconnect.call(db);
      await pool.end().catch(() => {});
    },
  });
}
