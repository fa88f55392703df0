// The embedded PostgreSQL's password: random per data directory, kept inside it with mode 0600; a directory
// made with the old fixed password is moved to a random one; a second process (npm run admin:create) can
// connect to the cluster a running server started. Also the page buffers it starts with, sized to the machine
// (checked on the cluster the password test starts, rather than a cluster of its own).
import { mkdtemp, readFile, rm, stat, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PASSWORD_FILE, sharedBuffersMb, startEmbeddedPostgres } from "../../src/db/embedded.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

describe("the embedded PostgreSQL's password", () => {
  it("is random per data directory, kept in it with mode 0600, and moves an old fixed one", async () => {
    const one = await mkdtemp(join(tmpdir(), "curbside-pw-"));
    const two = await mkdtemp(join(tmpdir(), "curbside-pw-"));
    dirs.push(one, two);
    const a = await startEmbeddedPostgres({ dataDir: one });
    const b = await startEmbeddedPostgres({ dataDir: two });
    try {
      const file = join(one, PASSWORD_FILE);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, "utf8")).trim()).toBe(passwordOf(a.url));
      expect(passwordOf(a.url)).not.toBe(passwordOf(b.url));
      expect(passwordOf(a.url)).not.toBe("curbside-embedded");
      expect(passwordOf(a.url).length).toBeGreaterThanOrEqual(32);
      expect(await canConnect(a.url)).toBe(true);
      const wrong = new URL(a.url);
      wrong.password = "curbside-embedded";
      expect(await canConnect(wrong.toString())).toBe(false);

      // Another process attaches to the running cluster; its stop() leaves the cluster up.
      const attached = await startEmbeddedPostgres({ dataDir: one, attach: true });
      expect(attached.attached).toBe(true);
      expect(attached.url).toBe(a.url);
      await attached.stop();
      expect(await canConnect(a.url)).toBe(true);
      await expect(startEmbeddedPostgres({ dataDir: one })).rejects.toThrow(/already running/);

      // Back to what a data directory from before this change looks like: the fixed password, no file.
      const client = new pg.Client({ connectionString: a.url });
      await client.connect();
      // The page buffers it was started with, sized to the machine.
      const buffers = await client.query<{ shared_buffers: string }>("SHOW shared_buffers");
      expect(buffers.rows[0]?.shared_buffers).toBe(`${sharedBuffersMb()}MB`);
      await client.query("ALTER ROLE curbside PASSWORD 'curbside-embedded'");
      await client.end();
    } finally {
      await a.stop();
      await b.stop();
    }
    await unlink(join(one, PASSWORD_FILE));
    const legacy = await startEmbeddedPostgres({ dataDir: one });
    try {
      const moved = passwordOf(legacy.url);
      expect(moved).not.toBe("curbside-embedded");
      expect((await readFile(join(one, PASSWORD_FILE), "utf8")).trim()).toBe(moved);
      expect(await canConnect(legacy.url)).toBe(true);
      const old = new URL(legacy.url);
      old.password = "curbside-embedded";
      expect(await canConnect(old.toString())).toBe(false);
    } finally {
      await legacy.stop();
    }
    // And the next start reads the kept password.
    const again = await startEmbeddedPostgres({ dataDir: one });
    try {
      expect(await canConnect(again.url)).toBe(true);
    } finally {
      await again.stop();
    }
  }, 120_000);
});

describe("the embedded PostgreSQL's page buffers", () => {
  const gb = 1024 ** 3;
  it("are a sixteenth of the machine's memory, between PostgreSQL's default of 128 MB and 512 MB", () => {
    expect(sharedBuffersMb(1 * gb)).toBe(128);
    expect(sharedBuffersMb(2 * gb)).toBe(128);
    expect(sharedBuffersMb(4 * gb)).toBe(256);
    expect(sharedBuffersMb(6 * gb)).toBe(384);
    expect(sharedBuffersMb(8 * gb)).toBe(512);
    expect(sharedBuffersMb(64 * gb)).toBe(512);
  });
});
