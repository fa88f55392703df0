// Starts one throw-away PostgreSQL for the run (or uses TEST_DATABASE_URL's server), migrates a template
// database once, and hands its address to the test files; each file then clones its own database from it.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDatabase } from "../../src/db/client.ts";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../../src/db/embedded.ts";
import { migrate } from "../../src/db/migrate.ts";
import { seedBase } from "../../src/db/seed.ts";

export const TEMPLATE = `curbside_template_${process.pid}`;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: await mkdtemp(join(tmpdir(), "curbside-test-")), persistent: false });
    serverUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
  const templateUrl = withDatabase(serverUrl, TEMPLATE);
  await migrate(templateUrl, join(import.meta.dirname, "..", "..", "migrations"));
  const db = createDatabase(templateUrl, 1);
  await seedBase(db);
  await db.$disconnect();

  project.provide("databaseServerUrl", serverUrl);
  project.provide("templateDatabase", TEMPLATE);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    await embedded?.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseServerUrl: string;
    templateDatabase: string;
  }
}
