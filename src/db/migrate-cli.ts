// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database under DATA_DIR.
import { loadConfig } from "../config.ts";
import { migrate } from "./migrate.ts";
import { openDatabaseServer } from "./server.ts";

const config = loadConfig();
const server = await openDatabaseServer(config, console.log);
try {
  const result = await migrate(server.url, "migrations", console.log);
  console.log(
    result.applied.length === 0
      ? `Database is up to date (${result.alreadyApplied} migrations applied earlier).`
      : `Applied ${result.applied.length} migration(s).`,
  );
} finally {
  await server.stop();
}
