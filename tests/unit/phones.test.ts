// The phone finder's quick check (MAYBE_PHONE in src/safety/phones.ts) only skips libphonenumber's finder for
// texts it could not match in: the findings are the same with and without it, on every sentence of the three
// corpora and on generated number-like text in many shapes and scripts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findPhones } from "../../src/safety/phones.ts";

const corpus = (name: string) =>
  readFileSync(join(import.meta.dirname, "..", "fixtures", name), "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.split("\t")[2] ?? "")
    .filter((text) => text !== "");

describe("the phone finder's quick check", () => {
  it("changes nothing on the corpora", () => {
    const texts = ["safety-corpus-dev.tsv", "safety-corpus-holdout.tsv", "safety-corpus-fresh.tsv"].flatMap(corpus);
    expect(texts.length).toBeGreaterThan(1000);
    for (const text of texts) expect(findPhones(text), text).toEqual(findPhones(text, false));
  });

  it("changes nothing on generated number-like text", () => {
    const digit = fc.constantFrom(..."0123456789", "٣", "７", "१");
    const gap = fc.constantFrom("", " ", "-", ".", "(", ")", " (", ") ", "/", "x", "  ", "+", " - ", "\u00a0", "–", "a", "ext ");
    const piece = fc.oneof(
      fc.array(fc.tuple(digit, gap), { minLength: 1, maxLength: 14 }).map((parts) => parts.map(([d, g]) => d + g).join("")),
      fc.constantFrom("call me on ", "my number is ", "+44 ", "+1 ", "0044 ", "tel: ", "day 21 ", "hCG 1200 ", "PMID ", " "),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
        const text = pieces.join("");
        expect(findPhones(text)).toEqual(findPhones(text, false));
      }),
      { seed: 20261202, numRuns: 3000 },
    );
  });

  it("still finds numbers", () => {
    expect(findPhones("ring me on 07700 900 982 tonight").map((p) => p.text)).toEqual(["07700 900 982"]);
    expect(findPhones("my cell is (212) 555-0143").length).toBe(1);
  });
});
