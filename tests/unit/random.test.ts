// Random strings drawn from a pool (src/lib/random.ts): the right length and alphabet, never the same string
// twice across many refills of the pool, every byte value reachable, and nothing but 1–256 bytes asked for.
import { describe, expect, it } from "vitest";
import { randomString } from "../../src/lib/random.ts";
import { newSubmissionKey, submissionKey } from "../../src/lib/text.ts";

describe("randomString", () => {
  it("gives hex and base64url of the length asked for", () => {
    expect(randomString(16, "hex")).toMatch(/^[0-9a-f]{32}$/);
    expect(randomString(18, "base64url")).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(randomString(1, "hex")).toMatch(/^[0-9a-f]{2}$/);
    expect(randomString(256, "hex")).toMatch(/^[0-9a-f]{512}$/);
  });

  it("never hands out the same bytes twice, across refills of the pool", () => {
    // 20,000 draws of 16 bytes are 78 refills of a 4 KB pool, with sizes that leave part of it unused each time.
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(randomString(16 + (i % 7), "hex"));
    expect(seen.size).toBe(20_000);
  });

  it("spreads its bytes over every value (no zeroed slice is handed out)", () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2_000; i++) for (const byte of Buffer.from(randomString(32, "hex"), "hex")) counts[byte] = (counts[byte] ?? 0) + 1;
    // 64,000 bytes: 250 expected per value; a pool handing out zeroed or repeated slices piles them on a few.
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(370);
  });

  it("refuses sizes outside 1–256 bytes", () => {
    for (const bytes of [0, -1, 1.5, 257, Number.NaN]) expect(() => randomString(bytes, "hex")).toThrow(RangeError);
  });

  it("makes submission keys that the forms' own schema accepts", () => {
    const key = newSubmissionKey();
    expect(submissionKey.parse(key)).toBe(key);
    expect(newSubmissionKey()).not.toBe(key);
  });
});
