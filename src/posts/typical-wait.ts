// How long a post typically waits for a moderator's decision, shown to its author beside "Pending review": the
// one place every page that shows it asks (thread, account, edit pages). Measured from the real queue: the
// median time from sending (or resending) a post to a moderator's decision on it, over the last 30 days.
// Kept for a minute per database, as every pending author's page view asks. Those pages are personal and never
// in the page cache, so a cached page cannot show an old value.
import type { Database } from "../db/client.ts";

/** Fewer decisions than this in 30 days say too little: the page says so rather than guess. */
export const MIN_DECISIONS = 5;
const KEEP_MS = 60_000;

export interface TypicalWait {
  /** The median wait in seconds, or null when there were fewer than MIN_DECISIONS decisions. */
  seconds: number | null;
  decisions: number;
}

/**
 * The median over the posts a moderator decided on (approved, rejected, or asked for changes) in the 30 days
 * before `now`: from when the post was held (sent or resent) to that decision. Posts published at once
 * (verified physicians) are not decisions; a post hidden after publication is left out, as its last decision
 * time is the hiding, not the review.
 */
export async function measureTypicalWait(db: Database, now = new Date()): Promise<TypicalWait> {
  const [row] = await db.$queryRaw<{ seconds: number | null; decisions: number }[]>`
    WITH decided AS (
      SELECT coalesce("heldAt", "createdAt") AS sent,
             CASE WHEN status = 'APPROVED' THEN "approvedAt" WHEN status = 'REJECTED' THEN "moderatedAt" ELSE "changesRequestedAt" END AS decided
        FROM "Thread" WHERE "moderatedById" IS NOT NULL AND status <> 'HIDDEN'
      UNION ALL
      SELECT coalesce("heldAt", "createdAt"),
             CASE WHEN status = 'APPROVED' THEN "approvedAt" WHEN status = 'REJECTED' THEN "moderatedAt" ELSE "changesRequestedAt" END
        FROM "Reply" WHERE "moderatedById" IS NOT NULL AND status <> 'HIDDEN'
    )
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (decided - sent))::float8) AS seconds,
           count(*)::int AS decisions
      FROM decided
     WHERE decided > ${now}::timestamptz - interval '30 days' AND decided <= ${now}::timestamptz AND decided >= sent`;
  const decisions = row?.decisions ?? 0;
  return { seconds: decisions >= MIN_DECISIONS ? (row?.seconds ?? null) : null, decisions };
}

/** The typical wait in words, for "Typical wait: …", or null when there is too little to say. */
export function describeWait(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds)) return null;
  const hours = seconds / 3600;
  if (hours < 1) return "under an hour";
  if (hours < 36) return `about ${Math.round(hours)} hour${Math.round(hours) === 1 ? "" : "s"}`;
  return `about ${Math.round(hours / 24)} days`;
}

const kept = new WeakMap<Database, { at: number; value: string | null }>();

/** The typical wait in words, measured at most once a minute per database. */
export async function typicalWait(db: Database): Promise<string | null> {
  const now = Date.now();
  const hit = kept.get(db);
  if (hit && now - hit.at < KEEP_MS) return hit.value;
  const value = describeWait((await measureTypicalWait(db, new Date(now))).seconds);
  kept.set(db, { at: now, value });
  return value;
}

/** A post's moderation state for its author, with the typical wait filled in when it is pending review. */
export async function withTypicalWait<M extends { isPending: boolean; typicalWait: string | null } | null>(db: Database, m: M): Promise<M> {
  if (m?.isPending) m.typicalWait = await typicalWait(db);
  return m;
}
