// The hand-written prepared statements (`db.prepared`): one text per name, and rows read as arrays by column
// name for wide statements, with a clear error for a column the statement does not return.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statement } from "../src/db/client.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("prepared statements", () => {
  it("refuses a name reused with another text", () => {
    statement("test-twice", "SELECT 1 AS one");
    expect(() => statement("test-twice", "SELECT 1 AS one")).not.toThrow();
    expect(() => statement("test-twice", "SELECT 2 AS one")).toThrow(/defined twice/);
  });

  it("reads timestamptz columns as the instants PostgreSQL holds", async () => {
    const s = statement(
      "test-timestamps",
      `SELECT $1::timestamptz AS a, $1::timestamptz + interval '1.5 ms' AS b, 'epoch'::timestamptz AS c,
              'infinity'::timestamptz AS d, NULL::timestamptz AS e`,
    );
    const at = new Date("2026-11-21T23:55:03.296Z");
    const [row] = await t.db.prepared.rows<{ a: Date; b: Date; c: Date; d: number; e: null }>(s, [at]);
    expect(row?.a).toEqual(at);
    expect(row?.b).toEqual(new Date(at.getTime() + 1)); // a Date keeps whole milliseconds, as pg's own parser does
    expect(row?.c).toEqual(new Date(0));
    expect(row?.d).toBe(Number.POSITIVE_INFINITY);
    expect(row?.e).toBeNull();
  });

  it("reads rows as objects, and as arrays by column name", async () => {
    const s = statement(
      "test-table",
      "SELECT g AS n, 'row ' || g AS label, NULL::timestamptz AS at FROM generate_series(1, $1::int) g ORDER BY g",
    );
    expect(await t.db.prepared.rows(s, [2])).toEqual([
      { n: 1, label: "row 1", at: null },
      { n: 2, label: "row 2", at: null },
    ]);
    const table = await t.db.prepared.table<{ n: number; label: string; at: Date | null }>(s, [3]);
    expect(table.rows).toHaveLength(3);
    expect(table.rows.map((row) => [table.get(row, "n"), table.get(row, "label"), table.get(row, "at")])).toEqual([
      [1, "row 1", null],
      [2, "row 2", null],
      [3, "row 3", null],
    ]);
    // A column the statement does not return is an error, not undefined read as "no value".
    expect(() => table.get(table.rows[0] as unknown[], "missing" as "n")).toThrow(/no column "missing"/);
  });

  it("refuses to read by name a statement with two columns of the same name", async () => {
    const s = statement("test-same-name", "SELECT 1 AS x, 2 AS x");
    await expect(t.db.prepared.table(s, [])).rejects.toThrow(/two columns with the same name/);
  });
});
