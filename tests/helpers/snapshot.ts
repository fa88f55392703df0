// What a request changed in the database: every table's rows as one digest (count and md5 of every row's text),
// read before and after. Tests that a refused request changed nothing compare every table, not one count.
import type { Database } from "../../src/db/client.ts";

export type TableDigests = Record<string, string>;

/**
 * One "rows:md5" per table of the public schema, aside from Prisma's migration table and the throttle's counters
 * (every form post is counted by the shared rate limit, refused or not: that is the limit doing its job).
 */
export async function tableDigests(db: Database): Promise<TableDigests> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'ThrottleCounter') ORDER BY 1`,
  );
  const sql = tables
    .map(
      ({ name }) =>
        `SELECT '${name}' AS name, count(*)::int AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS digest FROM "${name}" x`,
    )
    .join(" UNION ALL ");
  const rows = await db.$queryRawUnsafe<{ name: string; n: number; digest: string }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, `${r.n}:${r.digest}`]));
}

/** The tables whose rows differ between two digests. */
export function changedTables(before: TableDigests, after: TableDigests): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
