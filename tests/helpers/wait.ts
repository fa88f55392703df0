// Waiting for something that happens soon but not at once (a change notice reaching another instance).
import type { TestApp } from "./app.ts";

/** Polls until `check` passes, for at most `ms`; returns how long it took. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (Date.now() - start <= ms) {
    if (await check()) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`not within ${ms} ms`);
}

/**
 * Resolves once an app with the page cache has heard every change notice committed before the call (a fixture
 * written just now may still have its notice on the way, and a page stored before it arrives is rightly dropped
 * when it does). It sends a notice of its own: PostgreSQL delivers notices in commit order, so once the app has
 * dropped the marker entry stored under that notice's tag, it has heard every earlier one too.
 */
export async function changesHeard(t: Pick<TestApp, "app" | "db">): Promise<void> {
  const cache = t.app.pageCache;
  if (!cache) return;
  const marker = -Math.floor(1 + Math.random() * 2 ** 30);
  const key = `/changes-heard/${marker}`;
  cache.set(key, { tags: [`thread:${marker}`], bytes: 0 } as never);
  await t.db.$queryRawUnsafe("SELECT pg_notify('curbside_pages', $1)::text", JSON.stringify({ t: marker }));
  await within(10_000, async () => cache.get(key) === undefined);
}
