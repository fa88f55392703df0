// "Did you mean": for each word typed that no public post holds, the closest word that one does, by trigram
// similarity (pg_trgm) over SearchWord, which triggers keep to the words of public posts only (approved, in an
// approved thread that was not withdrawn): a word only in a pending, hidden or withdrawn post is never offered.
// And the prefix of a last word still being typed ("hepar" finds heparin).
import type { Database } from "../db/client.ts";

/** Words as SearchWord keeps them: letters only, 3 to 40 long, lower-case. */
const WORD = /\p{L}+/gu;
const MAX_WORDS = 8;

function wordsOf(q: string): string[] {
  return [...new Set((q.toLowerCase().match(WORD) ?? []).filter((w) => w.length >= 3 && w.length <= 40))].slice(0, MAX_WORDS);
}

/**
 * The search with each unknown word replaced by the closest known one, or null when there is nothing to offer.
 * A word that begins a known one counts as known ("loss" of "losses", "hepar" being typed): only words no public
 * post starts with are corrected.
 */
export async function suggestion(db: Database, q: string): Promise<string | null> {
  const words = wordsOf(q);
  if (words.length === 0) return null;
  // `%` is similarity above pg_trgm.similarity_threshold (0.3), answered from the trigram index.
  const rows = await db.$queryRaw<{ typed: string; better: string | null }[]>`
    SELECT w.word AS typed,
           (SELECT s.word FROM "SearchWord" s WHERE s.word % w.word
             ORDER BY similarity(s.word, w.word) DESC, s.docs DESC, s.word LIMIT 1) AS better
      FROM unnest(${words}::text[]) AS w(word)
     WHERE NOT EXISTS (SELECT 1 FROM "SearchWord" s WHERE s.word LIKE w.word || '%')`;
  const better = new Map(rows.flatMap((r) => (r.better ? [[r.typed, r.better] as const] : [])));
  if (better.size === 0) return null;
  return q.replace(WORD, (word) => better.get(word.toLowerCase()) ?? word);
}

/**
 * The last word of a search still being typed, to be matched as a prefix: a plain word of 3 letters or more at
 * the very end (not quoted, not excluded with "-"). Letters and digits only, so it is safe in to_tsquery.
 */
export function typedPrefix(q: string): { rest: string; prefix: string } | null {
  const match = /(^|\s)([\p{L}][\p{L}\p{N}]{2,39})$/u.exec(q);
  // Inside an open quotation the words are a phrase, not a prefix.
  if (!match || (q.slice(0, match.index).match(/"/g) ?? []).length % 2 === 1) return null;
  return { rest: q.slice(0, match.index).trim(), prefix: (match[2] as string).toLowerCase() };
}
