// A throw-away cluster of Debian's PostgreSQL (apt-get install postgresql), for tests that need what the
// embedded package lacks: psql for the Docker init script, a superuser other than the app's role, and
// pg_basebackup (a primary and its streaming standby, `startReplicatedPair`). Tests using it skip, saying why,
// where it is not installed; .ci/run installs it.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../src/db/embedded.ts";

const run = promisify(execFile);

/** The newest installed version's bin directory, or null. */
export function debianPostgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

export const SKIP_REASON = "Debian's PostgreSQL is not installed (apt-get install -y postgresql); .ci/run installs it";

export interface DebianCluster {
  bin: string;
  port: number;
  /** The directory of its Unix socket (the superuser `postgres` connects there without a password). */
  socketDir: string;
  dataDir: string;
  /** Runs a command as the postgres system user, as the postgres image runs its init scripts. */
  asPostgres(command: string, args: string[], env?: Record<string, string>): Promise<{ stdout: string; stderr: string }>;
  url(user: string, password: string, database: string): string;
  stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/**
 * Starts a cluster made by initdb, or by `makeData` (which fills the cluster's `dataDir`, a base backup for a
 * standby) when given.
 */
export async function startDebianCluster(
  extraConf: string[] = [],
  makeData?: (cluster: Pick<DebianCluster, "bin" | "dataDir" | "asPostgres">) => Promise<void>,
): Promise<DebianCluster> {
  const bin = debianPostgresBin();
  if (!bin) throw new Error(SKIP_REASON);
  const base = await mkdtemp(join(tmpdir(), "curbside-debian-pg-"));
  await chmod(base, 0o755);
  const dataDir = join(base, "data");
  const socketDir = base;
  if (isRoot()) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(base, Number(stdout.trim()), Number(gid.trim()));
  }
  const asPostgres = (command: string, args: string[], env: Record<string, string> = {}) =>
    isRoot()
      ? run("runuser", ["-u", "postgres", "--", "env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args], {
          cwd: base,
          timeout: 120_000,
        })
      : run(command, args, { cwd: base, env: { ...process.env, ...env }, timeout: 120_000 });
  const port = await freePort();
  if (makeData) await makeData({ bin, dataDir, asPostgres });
  else
    await asPostgres(join(bin, "initdb"), [
      "-D",
      dataDir,
      "-U",
      "postgres",
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
    ]);
  const options = ["-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${socketDir}`, `-p ${port}`, ...extraConf].join(" ");
  await asPostgres(join(bin, "pg_ctl"), ["-D", dataDir, "-o", options, "-l", join(base, "log"), "-w", "-t", "60", "start"]);
  return {
    bin,
    port,
    socketDir,
    dataDir,
    asPostgres,
    url: (user, password, database) => `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async stop() {
      await asPostgres(join(bin, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"]).catch(() => {});
      await rm(base, { recursive: true, force: true });
    },
  };
}

export interface ReplicatedPair {
  primary: DebianCluster;
  /** A hot standby of `primary`, made with pg_basebackup -R and streaming from it. */
  standby: DebianCluster;
  stop(): Promise<void>;
}

/**
 * A primary and a hot standby streaming from it (pg_basebackup -R over the primary's socket, where initdb's
 * pg_hba.conf lets `postgres` replicate), each on a free port in its own temporary directory; `extraConf` goes
 * to both.
 */
export async function startReplicatedPair(extraConf: string[] = []): Promise<ReplicatedPair> {
  const primary = await startDebianCluster(["-c wal_level=replica", "-c max_wal_senders=4", ...extraConf]);
  try {
    const standby = await startDebianCluster(extraConf, async (cluster) => {
      await cluster.asPostgres(join(cluster.bin, "pg_basebackup"), [
        "-h",
        primary.socketDir,
        "-p",
        String(primary.port),
        "-U",
        "postgres",
        "-D",
        cluster.dataDir,
        "-R",
        "-X",
        "stream",
        "-c",
        "fast",
      ]);
    });
    return {
      primary,
      standby,
      async stop() {
        await standby.stop();
        await primary.stop();
      },
    };
  } catch (error) {
    await primary.stop();
    throw error;
  }
}
