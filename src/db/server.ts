// Chooses the database: DATABASE_URL when set, otherwise an embedded PostgreSQL keeping its data under DATA_DIR.
import { join } from "node:path";
import type { Config } from "../config.ts";
import { startEmbeddedPostgres } from "./embedded.ts";

export interface DatabaseServer {
  url: string;
  /** How the start-up log names it, without the password. */
  description: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

export async function openDatabaseServer(
  config: Config,
  log: (message: string) => void,
  options: { attach?: boolean } = {},
): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    return {
      url: config.databaseUrl,
      description: `PostgreSQL at ${redactUrl(config.databaseUrl)} (DATABASE_URL)`,
      embedded: false,
      stop: async () => {},
    };
  }
  const dataDir = join(config.dataDir, "postgres");
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: config.embeddedPgPort,
    attach: options.attach,
    log: (line) => {
      if (config.logLevel === "debug" || config.logLevel === "trace" || /ERROR|FATAL|PANIC|allowed the postgres user/.test(line))
        log(`postgres: ${line}`);
    },
  });
  return {
    url: embedded.url,
    description: embedded.attached
      ? `the embedded PostgreSQL the running Curbside started, data in ${dataDir}/ (DATABASE_URL is unset)`
      : `embedded PostgreSQL 18, data in ${dataDir}/ (DATABASE_URL is unset)`,
    embedded: true,
    stop: () => embedded.stop(),
  };
}
