import { describe, expect, it } from "vitest";
import { changed, wordDiff } from "../../src/lib/word-diff.ts";

describe("wordDiff", () => {
  it("marks the words added and removed, in reading order, and keeps the rest", () => {
    const parts = wordDiff("Take 40 mg of clexane daily", "Take 20 mg of clexane twice daily");
    expect(parts.map((p) => (p.added ? `+${p.text}` : p.removed ? `-${p.text}` : p.text)).join("")).toBe(
      "Take -40+20 mg of clexane +twice daily",
    );
    expect(
      parts
        .filter((p) => !p.removed)
        .map((p) => p.text)
        .join(""),
    ).toBe("Take 20 mg of clexane twice daily");
    expect(
      parts
        .filter((p) => !p.added)
        .map((p) => p.text)
        .join(""),
    ).toBe("Take 40 mg of clexane daily");
  });

  it("says nothing changed for the same text", () => {
    expect(changed(wordDiff("Same text.", "Same text."))).toBe(false);
    expect(changed(wordDiff("Same text.", "Same text!"))).toBe(true);
  });
});
