// buildTestApp: the real app on a fresh test database, with cheap password hashing (tests only).
import type { FastifyInstance } from "fastify";
import request from "supertest";
import { type AppDeps, buildApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { createCountingDatabase } from "../../src/db/client.ts";
import { createPasswordHasher, TEST_ARGON2 } from "../../src/lib/passwords.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

export const testPasswords = createPasswordHasher(TEST_ARGON2);

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase["db"];
  database: TestDatabase;
  config: Config;
  http(): ReturnType<typeof request>;
  agent(): ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

export async function buildTestApp(
  env: Record<string, string> = {},
  deps: Partial<Pick<AppDeps, "loginLimits" | "passwords" | "clock">> = {},
  existing?: TestDatabase,
): Promise<TestApp> {
  const database = existing ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PUBLIC_URL: "http://localhost:3000",
    RATE_LIMIT_PER_MINUTE: "1000000",
    ...env,
  });
  const app = await buildApp({ config, db: database.db, databaseUrl: database.url, passwords: testPasswords, logger: false, ...deps });
  await app.ready();
  return {
    app,
    db: database.db,
    database,
    config,
    http: () => request(app.server),
    agent: () => request.agent(app.server),
    async close() {
      await app.close();
      if (!existing) await database.drop();
    },
  };
}

/**
 * A second app on `base`'s database whose own connections push every statement they run to `statements`
 * (counted at the connection, includes and all). Its close() also ends those connections.
 */
export async function buildCountingApp(base: TestApp, env: Record<string, string>, statements: string[]): Promise<TestApp> {
  const db = createCountingDatabase(base.database.url, (sql) => statements.push(sql));
  const t = await buildTestApp(env, {}, { ...base.database, db });
  return {
    ...t,
    async close() {
      await t.close();
      await db.$disconnect();
    },
  };
}
