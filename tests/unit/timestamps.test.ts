// The timestamptz reader for the hand-written statements agrees with pg's own parser on every shape
// PostgreSQL writes, and hands the shapes it does not read to it.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { parseTimestamptz } from "../../src/db/timestamps.ts";

const pgParse = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, "text") as (text: string) => Date | number;
const same = (text: string) => {
  const ours = parseTimestamptz(text);
  const theirs = pgParse(text);
  expect(ours instanceof Date ? ours.getTime() : ours, text).toBe(theirs instanceof Date ? theirs.getTime() : theirs);
};

describe("parseTimestamptz", () => {
  it("reads what PostgreSQL writes in every zone, with 0 to 6 fraction digits", () => {
    for (const fraction of ["", ".1", ".25", ".296", ".2961", ".29615", ".296157"])
      for (const zone of ["+00", "-03", "+05:30", "-09:30", "+14", "-00:44:30", "+01:02:03"])
        for (const day of [
          "2026-11-21 23:55:03",
          "2024-02-29 00:00:00",
          "1999-12-31 23:59:59",
          "1000-01-01 12:00:00",
          "9999-12-31 23:59:59",
        ])
          same(`${day}${fraction}${zone}`);
    expect((parseTimestamptz("2026-11-21 14:03:07.25+00") as Date).toISOString()).toBe("2026-11-21T14:03:07.250Z");
    expect((parseTimestamptz("2026-11-21 14:03:07+05:30") as Date).toISOString()).toBe("2026-11-21T08:33:07.000Z");
  });

  it("hands other shapes to pg's parser: BC, years outside 1000-9999, infinity", () => {
    for (const text of ["0099-01-01 00:00:00+00", "0044-03-15 12:00:00+00 BC", "12345-01-01 00:00:00+00", "infinity", "-infinity"])
      same(text);
    expect(parseTimestamptz("infinity")).toBe(Number.POSITIVE_INFINITY);
  });

  it("does not guess at text that is not a timestamp", () => {
    for (const text of [
      "2026-11-21T14:03:07Z",
      "2026-11-21 14:03:07",
      "2026-11-21 14:03:07.+00",
      "2026-11-21 14:03:07+0x",
      "2026-1a-21 14:03:07+00",
    ])
      same(text);
  });
});
