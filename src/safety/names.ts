// People and places named in a post: self-introductions, sign-offs, family members by name, doctors who are
// not Curbside's verified physicians, and named clinics and hospitals. Capitalisation carries most of the
// signal, so the name words are matched case-sensitively while the phrases before them are not.

export interface NameContext {
  /** Full names of Curbside's verified physicians: naming them is what the forum is for. */
  physicians?: readonly string[];
}

export interface Span {
  kind: "name" | "place";
  start: number;
  end: number;
}

/** A capitalised name word: Emily, O'Neill, McDonald, Smith-Jones, Zoë. */
const NAME = String.raw`(?:Mc|Mac|O'|D')?\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}]+)?`;
const NAME_RE = new RegExp(`^${NAME}$`, "u");

/** Capitalised words that follow "I'm" or a sign-off without being names. */
const NOT_NAMES = new Set(
  (
    "I Im IVF ICSI IUI FET NHS GP OB RE TTC PCOS HCG AMH FSH TSH NK Dr Doctor The A An And But So Then This That These Those It " +
    "My Our We You He She They Not Just Also Very Really Still Now Here There Today Tomorrow Yesterday Monday Tuesday Wednesday " +
    "Thursday Friday Saturday Sunday January February March April May June July August September October November December " +
    "British English Scottish Welsh Irish American Canadian Australian Indian Asian Black White Catholic Christian Muslim Jewish " +
    "Hindu Sikh Rh Type Vegan Vegetarian Stage Grade Day Week Weeks Cycle Round Hi Hello Hey Dear Thanks Thank Regards Best Love " +
    "Sorry Please Anyone Everyone Good Bad Happy Sad Grateful Thankful Pregnant Positive Negative Worried Scared Afraid Confused " +
    "Desperate Hopeful Exhausted Tired New Old Back Done Sure Glad Certain Aware Currently Going On In At Of For With From To Ok OK Okay " +
    "Lupus APS Hashimoto Hashimoto's Crohn's Graves Still's Team Mum Mom Dad Mama Mummy Mommy Baby Husband Wife Partner X Xx Xxx Google Internet Reddit " +
    // Nationalities and languages: "I'm Spanish", "my partner is Italian".
    "Spanish Italian French German Polish Dutch Greek Portuguese Turkish Chinese Japanese Korean Pakistani Nigerian Ghanaian " +
    "Kenyan Jamaican Mexican Brazilian Russian Ukrainian Romanian Swedish Danish Norwegian Finnish Swiss Austrian Belgian " +
    "Filipino Vietnamese Thai Arab Arabic Bengali Punjabi Tamil Kurdish Iranian Persian Somali Ethiopian Egyptian Moroccan " +
    "Lithuanian Latvian Hungarian Czech Slovak Bulgarian Serbian Croatian Albanian Brazilian Argentinian Colombian Peruvian " +
    "Chilean Cuban Puerto Rican Caribbean African European Latina Latino Hispanic Mixed Welsh-speaking Deaf Autistic Disabled"
  ).split(" "),
);

const isName = (w: string) => NAME_RE.test(w) && !NOT_NAMES.has(w);

/** Words that end a place's name: "Lister Fertility Clinic", "St Mary's Hospital", "CARE Fertility Manchester". */
const PLACE_WORDS = String.raw`(?:Hospitals?|Clinic|Infirmary|Fertility|IVF|Surgery|Practice|Medical\s+Cent(?:re|er)|Health\s+Cent(?:re|er)|Maternity|Women's|Womens|Reproductive|Hospital\s+Trust|Foundation\s+Trust|Medical\s+Group|Health\s+System|Specialists|Associates)`;
/** Words a place name may start with that are really the sentence's: "My IVF clinic", "The Fertility clinic". */
const NOT_PLACE_START = new Set(
  "A An The My Our Your Their His Her This That Private Local Public NHS New First Second Third Fourth Fifth Last Next Another Frozen Fresh Natural Medicated Failed Every Each Any Some Which What Our Previous Current Big Main Good Best Great Local Different Same Other IVF ICSI IUI FET Recurrent Unexplained Secondary Male Female Reproductive Fertility Maternity Womens Women's I We Both After Before Since During At In On To From Is Was Does Do Did Has Had Have Can Could Should Would Will".split(
    " ",
  ),
);

interface Rule {
  /** Matched case-insensitively; the name words that follow are checked apart. */
  lead: RegExp;
  /** How many name words may follow, at least and at most. */
  min: number;
  max: number;
  /** A sign-off's name ends its line: "Thank you. Should the tests…" is not signed by "Should". */
  lastOnLine?: boolean;
}

const rule = (source: string, min: number, max: number, lastOnLine = false): Rule => ({
  lead: new RegExp(source, "giu"),
  min,
  max,
  lastOnLine,
});
const END_OF_LINE = /^\s*[,.!]*\s*(?:x+|xo+)?\s*[.!]*\s*(?:\n|$)/iu;

const RELATIVES = String.raw`husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|hubby|dh|son|daughter|mum|mom|mother|dad|father|sister|brother|friend|best friend|baby|little one|toddler|twins?|nan|nana|gran|granny|grandma|grandmother|grandad|grandpa|aunt|auntie|uncle|cousin|niece|nephew|ex|stepson|stepdaughter|stepmum|boss|colleague|midwife|consultant|gp|specialist|surgeon|nurse|obgyn|ob|re|doctor|doc|therapist|counsellor|counselor|embryologist|rainbow baby|angel baby|boy|girl`;

const RULES: Rule[] = [
  // "My name is Sarah Jane Thompson", "call me Anna", "I'm called Rose"
  rule(String.raw`\b(?:my name(?:'s| is| was)|name(?:'s| is)|i(?:'m| am) called|call me|signed|sincerely)\s*[:,-]?\s*`, 1, 3),
  // "I'm Emily Carter, 41", "I am Emily and I'm 41"
  rule(String.raw`\bi(?:'m|’m| am)\s+`, 1, 3),
  // Sign-offs: "Thanks, Anna", "Best wishes, Rebecca Lowe", "Love, Jo x"
  rule(
    String.raw`(?:^|[.!?\n]\s*|,\s*)(?:thanks(?: again| so much| in advance)?|thank you(?: so much| in advance)?|many thanks|cheers|best wishes|best|all the best|regards|kind regards|warm regards|best regards|love|lots of love|hugs|take care|blessings|yours(?: truly| sincerely)?|xx+)\s*[,.!:\n\-–—]+\s*`,
    1,
    2,
    true,
  ),
  // A dash and a name at the very end: "— Rebecca"
  rule(String.raw`(?:^|\n|\s)[-–—~]\s*(?=\S+(?:\s+\S+)?\s*x*\s*$)`, 1, 2, true),
  // Family and carers by name: "my husband Tom Wilkins", "our son, Oliver", "a girl called Lily"
  rule(
    String.raw`\b(?:my|our|her|his|their)\s+(?:(?:lovely|little|older|younger|big|eldest|youngest|new|late|dear|darling|amazing)\s+)?(?:${RELATIVES})(?:\s*,\s*|\s+)(?:(?:called|named|is)\s+)?`,
    1,
    3,
  ),
  rule(
    String.raw`\b(?:(?:we|i|they)\s+(?:called|named|call)\s+(?:him|her|them|our\s+\w+)|(?:boy|girl|son|daughter|baby|twins|sister|brother)\s+(?:called|named))\s+`,
    1,
    2,
  ),
  // Doctors and staff by name: "Dr. Jonathan Harper", "Mr Patel", "Prof Quenby"
  rule(String.raw`\b(?:dr|doctor|prof|professor|mr|mrs|ms|miss|mx|sister|nurse|midwife)\b\.?\s*`, 1, 3),
];

/** Title-words that make what follows a doctor, for the verified-physician exception. */
const DOCTOR_LEAD = /^(?:dr|doctor|prof|professor|mr|mrs|ms|miss)\b/i;

function wordsAt(text: string, at: number, max: number): { words: string[]; end: number } {
  const words: string[] = [];
  let end = at;
  const re = new RegExp(`(${NAME})`, "uy");
  let pos = at;
  while (words.length < max) {
    re.lastIndex = pos;
    const word = re.exec(text)?.[1];
    if (!word || !isName(word)) break;
    words.push(word);
    end = pos + word.length;
    // A middle initial or a space between name words, never a line break.
    const gap = /^(?: [A-Z]\.)? /.exec(text.slice(end, end + 4));
    if (!gap) break;
    pos = end + gap[0].length;
  }
  return { words, end };
}

const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

function isVerifiedPhysician(words: string[], context: NameContext): boolean {
  const physicians = context.physicians ?? [];
  const said = words.map((w) => fold(w).replace(/['’]s?$/, ""));
  return physicians.some((full) => {
    const parts = fold(full)
      .replace(/\b(dr|prof|md|mbbs|frcog|phd)\b\.?/g, "")
      .split(/[^a-z'-]+/)
      .filter(Boolean);
    // "Dr Harper" or "Dr Jonathan Harper" names the physician when every word said is one of theirs.
    return said.length > 0 && said.every((w) => parts.includes(w));
  });
}

export function findNames(text: string, context: NameContext = {}): Span[] {
  const spans: Span[] = [];
  for (const r of RULES) {
    r.lead.lastIndex = 0;
    for (let m = r.lead.exec(text); m; m = r.lead.exec(text)) {
      const at = m.index + m[0].length;
      if (m[0].length === 0) r.lead.lastIndex++;
      const { words, end } = wordsAt(text, at, r.max);
      if (words.length < r.min) continue;
      if (r.lastOnLine && !END_OF_LINE.test(text.slice(end))) continue;
      const lead = m[0].replace(/^[^a-z]+/i, "");
      // "I'm Emily" is a name; "I'm Fine" was caught by NOT_NAMES; "I'm Emily Carter" is certain either way.
      if (DOCTOR_LEAD.test(lead) && isVerifiedPhysician(words, context)) continue;
      // A doctor's name is the title with it, so that removing it leaves no "Dr." dangling.
      const start = DOCTOR_LEAD.test(lead) ? m.index + (m[0].length - m[0].trimStart().length) : at;
      spans.push({ kind: "name", start, end });
    }
  }
  return spans;
}

/** Named clinics, hospitals and practices. */
export function findPlaces(text: string): Span[] {
  const spans: Span[] = [];
  // "St Mary's Hospital", "Saint Thomas'", "St. Michael's"
  const saint =
    /\b(?:St\.?|Saint)\s+\p{Lu}\p{Ll}+(?:'s|s'|')?(?:\s+(?:Hospital|Infirmary|Clinic|Medical Centre|Medical Center|University Hospital))?/gu;
  for (let m = saint.exec(text); m; m = saint.exec(text)) spans.push({ kind: "place", start: m.index, end: m.index + m[0].length });
  // One to four capitalised words (or an all-capitals brand) before a place word, optionally a town after it.
  const named = new RegExp(
    String.raw`(?<![\p{L}])((?:(?:\p{Lu}[\p{L}'&.-]*|of|the|and|for|&)\s+){1,5})${PLACE_WORDS}(?:\s+(?:Clinic|Centre|Center|Unit|Hospital|Group|Partners|Trust))?(?:,?\s+(?:of\s+)?\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)?`,
    "gu",
  );
  for (let m = named.exec(text); m; m = named.exec(text)) {
    // Drop sentence words at the start: "My Lister Fertility Clinic" keeps "Lister Fertility Clinic".
    let offset = 0;
    const words = (m[1] ?? "").split(/(\s+)/);
    for (const w of words) {
      if (!/\S/.test(w) || NOT_PLACE_START.has(w) || /^(of|the|and|for|&)$/.test(w)) offset += w.length;
      else break;
    }
    if (offset >= (m[1] ?? "").trimEnd().length) continue;
    let end = m.index + m[0].length;
    // A trailing word that is the sentence's ("Clinic Today") is not part of the name.
    const tail = /,?\s+(?:of\s+)?(\p{Lu}\p{Ll}+)(?:\s+(\p{Lu}\p{Ll}+))?$/u.exec(m[0]);
    const last = tail?.[1] ?? "";
    if (tail && (NOT_NAMES.has(last) || NOT_PLACE_START.has(last))) end = m.index + tail.index;
    spans.push({ kind: "place", start: m.index + offset, end });
  }
  // "a clinic called Bourn Hall", "the hospital is Queen Charlotte's"
  const called = /\b(?:clinic|hospital|practice|centre|center|surgery|unit)\s+(?:called|named|is|was)\s+((?:\p{Lu}[\p{L}'’-]*\s?){1,4})/gu;
  for (let m = called.exec(text); m; m = called.exec(text)) {
    const name = m[1] ?? "";
    const start = m.index + m[0].length - name.length;
    spans.push({ kind: "place", start, end: start + name.trimEnd().length });
  }
  return spans;
}

/**
 * Words that might be a name though no rule is sure: capitalised words after "I'm", "my name is", "Dr." and
 * the like, for moderators' second colour.
 */
export function findPossibleNames(text: string, context: NameContext = {}): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /\b(?:i'm|i am|my name is|name's|dr\.?|doctor|mr\.?|mrs\.?|ms\.?|prof\.?|called|named)\s+((?:\p{Lu}[\p{L}'’-]*\s?){1,3})/giu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[1] ?? "";
    const start = m.index + m[0].length - name.length;
    // "Dr. Amara Nwosu", a verified physician on Curbside, identifies no patient.
    // The regex is case-insensitive, so the name proper is its leading capitalised words.
    const capitalised: string[] = [];
    for (const word of name.trim().split(/\s+/)) {
      if (!/^\p{Lu}/u.test(word)) break;
      capitalised.push(word);
    }
    const doctor = DOCTOR_LEAD.test(m[0]) && isVerifiedPhysician(capitalised, context);
    if (/^\p{Lu}/u.test(name) && !doctor) out.push({ start, end: start + name.trimEnd().length });
  }
  return out;
}
