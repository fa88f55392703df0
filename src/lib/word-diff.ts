// What changed between two versions of a text, word by word, for moderators reviewing an edit. The `diff`
// package (jsdiff) does the comparing; this only shapes its result for a template, which escapes every part.
import { diffWords } from "diff";

export interface DiffPart {
  text: string;
  added: boolean;
  removed: boolean;
}

/** The parts of `after` against `before`: unchanged, added and removed runs of words, in reading order. */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((c) => ({ text: c.value, added: !!c.added, removed: !!c.removed }));
}

/** Whether anything changed at all (a title sent again as it was is no change). */
export const changed = (parts: readonly DiffPart[]) => parts.some((p) => p.added || p.removed);
