// SIGTERM under load, against the real server process with its embedded PostgreSQL: requests in flight
// complete, new ones get 503, the process exits within 10 s, and the database was stopped cleanly (the next
// start needs no recovery). The process is the one `npm start` runs: the bundle scripts/build.mjs makes.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, PASSWORD_FILE } from "../../src/db/embedded.ts";

const ROOT = join(import.meta.dirname, "..", "..");
let dataDir = "";
const children: ChildProcess[] = [];

interface Server {
  child: ChildProcess;
  output: string[];
  port: number;
  databaseUrl: string;
  exited: Promise<{ code: number | null; at: number }>;
}

let built = false;

async function startServer(port: number, pgPort: number): Promise<Server> {
  if (!built) execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "inherit" });
  built = true;
  const child = spawn(process.execPath, [join(ROOT, "dist", "server.js")], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      LOG_LEVEL: "debug",
      SHUTDOWN_DRAIN_MS: "600",
      DATABASE_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on("exit", (code) => resolve({ code, at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join("")}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join("").includes("ready in")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.on("exit", () => reject(new Error(`server exited early:\n${output.join("")}`)));
  });
  // Each data directory has its own random password, kept inside it (src/db/embedded.ts).
  const password = (await readFile(join(dataDir, "postgres", PASSWORD_FILE), "utf8")).trim();
  const databaseUrl = `postgresql://curbside:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/curbside`;
  return { child, output, port, databaseUrl, exited };
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error("timeout")));
  });
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("graceful shutdown", () => {
  it("finishes requests in flight, answers new ones with 503, exits within 10 s and stops PostgreSQL cleanly", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "curbside-shutdown-"));
    // PostgreSQL runs as its own user when we are root: it must be able to reach DATA_DIR/postgres.
    await chmod(dataDir, 0o755);
    const [port, pgPort] = [await freePort(), await freePort()];
    const server = await startServer(port, pgPort);
    expect((await get(port, "/t/1")).status).toBe(200);

    // Hold the threads table so that page requests stay in flight until we let go.
    const locker = new pg.Client({ connectionString: server.databaseUrl });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query('LOCK TABLE "Thread" IN ACCESS EXCLUSIVE MODE');
    const inFlight = Array.from({ length: 8 }, () => get(port, "/t/1"));
    await new Promise((r) => setTimeout(r, 300));

    const sigterm = Date.now();
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 200));
    const late = await get(port, "/");
    const lateReady = await get(port, "/readyz");
    await new Promise((r) => setTimeout(r, 300));
    await locker.query("COMMIT");
    await locker.end();

    const done = await Promise.all(inFlight);
    for (const res of done) {
      expect(res.status).toBe(200);
      expect(res.body.trimEnd().endsWith("</html>")).toBe(true);
    }
    expect(late.status).toBe(503);
    expect(late.body).toContain("Curbside is restarting");
    expect(lateReady.status).toBe(503);

    const { code, at } = await server.exited;
    expect(code).toBe(0);
    expect(at - sigterm).toBeLessThan(10_000);
    const log = server.output.join("");
    expect(log).toContain("stopped cleanly");
    expect(log).toContain("database system is shut down");

    // The next start finds a cleanly stopped cluster: no crash recovery.
    const again = await startServer(port, pgPort);
    const startLog = again.output.join("");
    expect(startLog).toMatch(/database system was shut down at/);
    expect(startLog).not.toMatch(/automatic recovery|was interrupted|not properly shut down/);
    expect((await get(port, "/t/1")).status).toBe(200);
    again.child.kill("SIGTERM");
    expect((await again.exited).code).toBe(0);
  });
});
