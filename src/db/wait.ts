// Start-up against a database that may not be up yet (a container starting beside it): wait with a clear log
// line and a limit instead of exiting at the first refused connection. And, where the operator's init script
// provided it, hand the audit log to a role the app is not (docker/postgres-init).
import pg from "pg";
import { redactUrl } from "./server.ts";

export async function waitForDatabase(url: string, limitMs: number, log: (message: string) => void): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      if (attempt > 1) log(`database: reachable after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    } catch (error) {
      const waited = Date.now() - started;
      const why = error instanceof Error ? error.message : String(error);
      if (waited >= limitMs) {
        throw new Error(
          `the database at ${redactUrl(url)} did not answer within ${Math.round(limitMs / 1000)} s (DATABASE_WAIT_SECONDS): ${why}`,
        );
      }
      log(`database: waiting for ${redactUrl(url)} (${why}); ${Math.round((limitMs - waited) / 1000)} s left`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 250 * attempt)));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** Calls curbside_seal_audit_log() when the database has it; returns what it said, or null without it. */
export async function sealAuditLog(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query("SELECT to_regproc('public.curbside_seal_audit_log') IS NOT NULL AS present");
    if (!found.rows[0]?.present) return null;
    const sealed = await client.query<{ result: string }>("SELECT public.curbside_seal_audit_log() AS result");
    return sealed.rows[0]?.result ?? null;
  } finally {
    await client.end();
  }
}
