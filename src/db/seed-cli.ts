// `npm run seed`: creates the categories and, outside production, the demo accounts and content.
import { loadConfig } from "../config.ts";
import { recordMissingHoldReasons } from "../moderation/hold-backfill.ts";
import { createDatabase } from "./client.ts";
import { migrate } from "./migrate.ts";
import { seedBase, seedDemo, seedLargeQueue } from "./seed.ts";
import { openDatabaseServer } from "./server.ts";

const config = loadConfig();
const server = await openDatabaseServer(config, console.log);
const db = createDatabase(server.url, 2);
try {
  await migrate(server.url, "migrations", console.log);
  await seedBase(db);
  if (!config.seedDemo) {
    console.log("Categories ensured. Demo content is not created in production (SEED_DEMO).");
  } else if (await seedDemo(db)) {
    console.log("Demo content created. Demo accounts use the password curbside-demo.");
  } else {
    console.log("The database already has accounts; demo content was not added again.");
  }
  await recordMissingHoldReasons(db);
  if (process.argv.includes("--large-queue")) {
    if (!config.seedDemo) throw new Error("--large-queue is for trying Curbside out, not for production.");
    console.log(`Added ${await seedLargeQueue(db)} pending items to the moderation queue.`);
  }
} finally {
  await db.$disconnect();
  await server.stop();
}
