// Creates the Prisma client over node-postgres. The app receives it by injection; nothing imports a global client.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Database = PrismaClient;

export function createDatabase(url: string, poolSize = 10): Database {
  const adapter = new PrismaPg({
    connectionString: url,
    max: poolSize,
    // pg waits forever by default; a page should fail fast when the database is away.
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}
