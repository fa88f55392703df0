// Retention: what Curbside deletes on a schedule. Rejected posts go after RETENTION_DAYS (90 by default);
// expired sessions and ended throttle counters go at once. The counters hold addresses and emails only as
// SHA-256 hashes, and only until their window (15 minutes at most) ends.
import type { Database } from "../db/client.ts";
import { CounterStore } from "../lib/throttle.ts";

export interface PurgeResult {
  threads: number;
  replies: number;
  sessions: number;
  counters: number;
}

export async function purgeExpiredData(db: Database, retentionDays: number, now = new Date()): Promise<PurgeResult> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
  // Rejected posts never had public replies (only approved posts take replies), so nothing hangs below them.
  const replies = await db.reply.deleteMany({ where: { status: "REJECTED", moderatedAt: { lt: cutoff }, children: { none: {} } } });
  const threads = await db.thread.deleteMany({ where: { status: "REJECTED", moderatedAt: { lt: cutoff }, replies: { none: {} } } });
  const sessions = await db.session.deleteMany({ where: { expiresAt: { lte: now } } });
  const counters = await CounterStore.purgeExpired(db, now);
  return { threads: threads.count, replies: replies.count, sessions: sessions.count, counters };
}

/** Runs the purge now and then every `everyMs`, without keeping the process alive. */
export function schedulePurge(
  db: Database,
  retentionDays: number,
  log: (message: string) => void,
  everyMs = 6 * 60 * 60 * 1000,
): () => void {
  const run = async () => {
    try {
      const result = await purgeExpiredData(db, retentionDays);
      if (result.threads + result.replies > 0)
        log(
          `retention: deleted ${result.threads} rejected question(s) and ${result.replies} rejected reply(ies) older than ${retentionDays} days`,
        );
    } catch (error) {
      log(`retention: purge failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
