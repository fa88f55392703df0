// `npm run admin:create -- EMAIL`: makes or promotes an admin and prints a one-time set-password link. Works in
// every mode, production included. With DATABASE_URL unset it uses the same embedded PostgreSQL as `npm start`:
// it starts it when no server runs, and connects to the running one otherwise.
import { join } from "node:path";
import { z } from "zod";
import { email as emailSchema } from "../auth/schemas.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { createDatabase } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import { seedBase } from "../db/seed.ts";
import { openDatabaseServer } from "../db/server.ts";
import { createAdmin, setupPath } from "./setup-links.ts";

const USAGE = "Usage: npm run admin:create -- EMAIL   (e.g. npm run admin:create -- you@example.org)";

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  if (args.length !== 1 || args[0] === "--help" || args[0] === "-h") {
    console.error(USAGE);
    return 2;
  }
  const parsed = emailSchema.safeParse(args[0]);
  if (!parsed.success) {
    console.error(`admin:create: ${z.prettifyError(parsed.error)}\n${USAGE}`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const quiet = (message: string) => {
    if (/ERROR|FATAL|PANIC|allowed the postgres user|random password/.test(message)) console.error(message);
  };
  const server = await openDatabaseServer(config, quiet, { attach: true });
  console.error(`Database: ${server.description}`);
  const db = createDatabase(server.url, 2);
  try {
    // A fresh clone's first command may come before the first `npm start`: the tables must exist.
    await migrate(server.url, join(import.meta.dirname, "..", "..", "migrations"), () => {});
    await seedBase(db);
    const made = await createAdmin(db, parsed.data);
    const link = `${config.publicUrl}${setupPath(made.token)}`;
    console.log(
      made.created
        ? `Created the admin account ${parsed.data}.`
        : `${parsed.data} is now an admin${made.previousRole && made.previousRole !== "ADMIN" ? ` (was ${made.previousRole.toLowerCase()})` : ""}.`,
    );
    console.log(`Open this link within 24 hours to set the password (it works once):\n\n  ${link}\n`);
    return 0;
  } finally {
    await db.$disconnect();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`admin:create: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
