// The moderation log page: filters, pages, who may see it, and proof that nothing can change an entry.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, textOf } from "./helpers/http.ts";

let t: TestApp;
let ines: UserFixture;
let theo: UserFixture;
let agent: ReturnType<TestApp["agent"]>;

beforeAll(async () => {
  t = await buildTestApp();
  ines = await createUser(t.db, "moderator", { pseudonym: "Ines Logger" });
  theo = await createUser(t.db, "admin", { pseudonym: "Theo Logger" });
  const entries = [];
  for (let i = 0; i < 60; i++) {
    entries.push({
      actorId: i % 2 === 0 ? ines.id : theo.id,
      action: i % 3 === 0 ? "reject" : "approve",
      targetType: "THREAD" as const,
      targetId: String(1000 + i),
      reason: i % 3 === 0 ? "Off-topic for Curbside" : null,
      createdAt: new Date(Date.UTC(2026, 10, 1 + (i % 20), 12)),
    });
  }
  await t.db.moderationLog.createMany({ data: entries });
  agent = t.agent();
  await logIn(agent, ines);
});
afterAll(() => t.close());

describe("the moderation log page", () => {
  it("lists entries newest first, 50 to a page", async () => {
    const first = await agent.get("/moderation/log");
    expect(first.status).toBe(200);
    expect(first.text.match(/class="log-entry"/g)).toHaveLength(50);
    const next = first.text
      .match(/href="(\/moderation\/log\?[^"]+)">Older/)?.[1]
      ?.replaceAll("&amp;", "&")
      .replaceAll("&#x3D;", "=");
    expect(next).toBeDefined();
    const second = await agent.get(next as string);
    expect(second.text.match(/class="log-entry"/g)).toHaveLength(10);
    expect(textOf(second.text)).toContain("thread #1000");
  });

  it("filters by moderator, action and date", async () => {
    const byTheo = textOf((await agent.get(`/moderation/log?actor=${theo.id}`)).text);
    expect(byTheo).toContain("Theo Logger");
    expect(byTheo).not.toMatch(/Ines Logger (approve|reject)/);
    const rejects = (await agent.get("/moderation/log?action=reject")).text;
    expect(rejects.match(/class="log-entry"/g)).toHaveLength(20);
    const day = (await agent.get("/moderation/log?from=2026-11-05&to=2026-11-05")).text;
    expect(day.match(/class="log-entry"/g)).toHaveLength(3); // entries 4, 24 and 44
  });

  it("answers bad filters with a clear 400, and others than moderators with 403", async () => {
    const bad = await agent.get("/moderation/log?from=yesterday");
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("isn't valid");
    const patient = t.agent();
    await logIn(patient, await createUser(t.db));
    expect((await patient.get("/moderation/log")).status).toBe(403);
    expect((await t.http().get("/moderation/log")).status).toBe(302);
  });
});

describe("append-only", () => {
  it("no code path updates or deletes an audit entry", async () => {
    const offenders: string[] = [];
    async function scan(dir: string) {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== "generated") await scan(path);
        } else if (/\.(ts|js)$/.test(entry.name)) {
          const text = await readFile(path, "utf8");
          if (/moderationLog\s*\.\s*(update|updateMany|upsert|delete|deleteMany)\b/.test(text)) offenders.push(`${path}: Prisma write`);
          if (/(UPDATE|DELETE\s+FROM|TRUNCATE)\s+"?ModerationLog"?/i.test(text)) offenders.push(`${path}: SQL write`);
        }
      }
    }
    await scan(join(import.meta.dirname, "..", "src"));
    expect(offenders).toEqual([]);
  });
});
