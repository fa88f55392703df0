// How long a post typically waits for a moderator, shown to its author beside "Awaiting moderation".
import type { Database } from "../db/client.ts";

/** The median time from writing to approval over the last 30 days, in words, or null when there is no data. */
export async function typicalWait(db: Database): Promise<string | null> {
  const [row] = await db.$queryRaw<{ seconds: number | null }[]>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS seconds FROM (
      SELECT EXTRACT(EPOCH FROM ("approvedAt" - "createdAt"))::float8 AS seconds FROM "Thread"
        WHERE "approvedAt" >= now() - interval '30 days' AND "approvedAt" > "createdAt"
      UNION ALL
      SELECT EXTRACT(EPOCH FROM ("approvedAt" - "createdAt"))::float8 FROM "Reply"
        WHERE "approvedAt" >= now() - interval '30 days' AND "approvedAt" > "createdAt"
    ) waits`;
  return describeWait(row?.seconds ?? null);
}

export function describeWait(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds)) return null;
  const hours = seconds / 3600;
  if (hours < 1) return "under an hour";
  if (hours < 36) return `about ${Math.round(hours)} hour${Math.round(hours) === 1 ? "" : "s"}`;
  return `about ${Math.round(hours / 24)} days`;
}
