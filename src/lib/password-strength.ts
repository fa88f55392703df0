// Passwords people can't guess, estimated by zxcvbn-ts with its common-password and English dictionaries.
// The dictionaries are large (several MB): they are loaded once, when this module is first imported at start-up.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

/** zxcvbn's scale is 0-4; 3 is "safely unguessable" against an offline attack on a slow hash. */
export const MIN_SCORE = 3;

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

/**
 * Why a password would be easy to guess, with suggestions, or null when it is strong enough. `related` are the
 * person's own email and pseudonym, which make a password weaker when they appear in it.
 */
export function weakPasswordReason(password: string, related: string[] = []): string | null {
  const result = zxcvbn.check(
    // zxcvbn's matching grows faster than the length: a 200-character password took 3 s of CPU here, 64 about a
    // tenth of that. A password whose first 64 characters are strong is strong.
    password.slice(0, 64),
    related.filter((r) => r.length > 0),
  );
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ?? "This password would be easy to guess.";
  const tips = result.feedback.suggestions.length > 0 ? ` ${result.feedback.suggestions.join(" ")}` : " Try a few unrelated words.";
  return `${why}${tips}`;
}
