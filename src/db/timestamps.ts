// Reading `timestamptz` columns for the hand-written statements (db.prepared). pg's own parser (postgres-date)
// runs three regular expressions per value; a thread page has about a hundred such values. PostgreSQL writes
// them as `2026-11-21 14:03:07.25+00` (DateStyle ISO, the default), which this reads with character
// arithmetic; any other shape (BC dates, years before 1000 or after 9999, infinity) goes to pg's parser.
import pg from "pg";

const DIGIT_0 = 48;

/** The value of the `count` decimal digits at `at`, or -1 if one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

const fallback = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, "text") as (text: string) => Date | number;

export function parseTimestamptz(text: string): Date | number {
  const fast = fastTimestamptz(text);
  return fast ?? fallback(text);
}

function fastTimestamptz(text: string): Date | null {
  if (
    text.length < 22 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 || // space
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  )
    return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 1000 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0) return null;
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    // .fraction: up to six digits; milliseconds are its first three (a Date holds no finer).
    at++;
    const start = at;
    while (at < text.length) {
      const d = text.charCodeAt(at) - DIGIT_0;
      if (d < 0 || d > 9) break;
      if (at - start < 3) ms = ms * 10 + d;
      at++;
    }
    const read = at - start;
    if (read === 0) return null;
    if (read < 3) ms *= read === 1 ? 100 : 10;
  }
  const sign = text.charCodeAt(at);
  if (sign !== 43 && sign !== 45) return null; // + or -
  const offsetHours = digits(text, at + 1, 2);
  if (offsetHours < 0) return null;
  at += 3;
  let offsetSeconds = offsetHours * 3600;
  // :MM and then :SS follow when the zone's offset has them (e.g. +05:30).
  for (let scale = 60; at < text.length && scale >= 1; scale /= 60) {
    if (text.charCodeAt(at) !== 58) return null;
    const part = digits(text, at + 1, 2);
    if (part < 0) return null;
    offsetSeconds += part * scale;
    at += 3;
  }
  if (at !== text.length) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return new Date(utc - (sign === 43 ? 1 : -1) * offsetSeconds * 1000);
}

/** Type parsers for a pg query: pg's own, but `timestamptz` read by `parseTimestamptz`. */
export const PREPARED_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.TIMESTAMPTZ && format !== "binary"
      ? parseTimestamptz
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};
