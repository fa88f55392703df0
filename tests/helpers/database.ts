// A fresh database for each test file, cloned from the migrated template: tests never share state.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDatabase, type Database } from "../../src/db/client.ts";

export interface TestDatabase {
  url: string;
  name: string;
  db: Database;
  drop(): Promise<void>;
}

export function serverUrl(database = "postgres"): string {
  const u = new URL(inject("databaseServerUrl"));
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `curbside_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDatabase")}"`);
  } finally {
    await admin.end();
  }
  const url = serverUrl(name);
  const db = createDatabase(url, 5);
  return {
    url,
    name,
    db,
    async drop() {
      await db.$disconnect();
      const cleaner = new pg.Client({ connectionString: serverUrl() });
      await cleaner.connect();
      await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await cleaner.end();
    },
  };
}
