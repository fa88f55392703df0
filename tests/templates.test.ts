// Templates are compiled once in every mode but `npm run dev`: compiling them at each render made a signed-in
// page about 20 times slower under `npm start`. Compilations are counted through the views' diagnostics channel.

import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn } from "./helpers/http.ts";

const ROOT = join(import.meta.dirname, "..");
const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;

/** How many templates `fn` compiled. */
async function compilations(fn: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const onCompile = () => {
    count++;
  };
  subscribe("curbside:views:compile", onCompile);
  try {
    await fn();
  } finally {
    unsubscribe("curbside:views:compile", onCompile);
  }
  return count;
}

/** `npm start`'s environment: no NODE_ENV (development) and no TEMPLATE_RELOAD; the page cache off so every page renders. */
const START_ENV = { NODE_ENV: "development", PAGE_CACHE: "false" };

describe("npm start's process", () => {
  let t: TestApp;
  let patient: UserFixture;
  let threadId: number;
  beforeAll(async () => {
    t = await buildTestApp(START_ENV);
    patient = await createUser(t.db, "patient");
    threadId = (await createThread(t.db, patient)).id;
  });
  afterAll(() => t.close());

  it("runs without TEMPLATE_RELOAD, which only the dev script sets", () => {
    expect(scripts.start).not.toContain("TEMPLATE_RELOAD");
    expect(scripts.dev).toContain("TEMPLATE_RELOAD=true");
    expect(t.config.templateReload).toBe(false);
    expect(t.config.production).toBe(false);
  });

  it("renders a page a second time without compiling a template", async () => {
    const agent = t.agent();
    await logIn(agent, patient);
    for (const get of [() => t.http().get("/login"), () => t.http().get(`/t/${threadId}`), () => agent.get(`/t/${threadId}`)]) {
      await get().expect(200);
      expect(await compilations(() => get().expect(200))).toBe(0);
    }
  });
});

describe("npm run dev's process (TEMPLATE_RELOAD=true)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ ...START_ENV, TEMPLATE_RELOAD: "true" });
  });
  afterAll(() => t.close());

  it("compiles the page's templates again at every render, so edited files show", async () => {
    await t.http().get("/login").expect(200);
    expect(await compilations(() => t.http().get("/login").expect(200))).toBeGreaterThan(1);
  });
});
