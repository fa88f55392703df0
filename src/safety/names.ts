// People and places named in a post: self-introductions, sign-offs, family members by name, doctors who are
// not Curbside's verified physicians, and named clinics and hospitals. Capitalisation carries most of the
// signal, so the name words are matched case-sensitively while the phrases before them are not; a name written
// in lower case ("im jess", "love bex xx") counts only when it is on the first-name list.
import { isFirstName } from "./first-names.ts";

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
  /** After a title a surname may be written in lower case: "dr. patel put me on pred". */
  lowerSurname?: boolean;
  /** Only names on the first-name list, capitalised or not: ", Sarah" ending a post, not ", Gutted". */
  listedOnly?: boolean;
}

const rule = (source: string, min: number, max: number, lastOnLine = false, more: Partial<Rule> = {}): Rule => ({
  lead: new RegExp(source, "giu"),
  min,
  max,
  lastOnLine,
  ...more,
});
// What may follow a sign-off's name on its line: kisses, an emoji-free aside in brackets.
const END_OF_LINE = /^\s*[,.!]*\s*(?:x+|xo+)?\s*[.!]*\s*(?:\([^)\n]{0,60}\))?\s*(?:x+)?\s*(?:\n|$)/iu;

const RELATIVES = String.raw`(?:mother|father|sister|brother|son|daughter)[-\s]in[-\s]law|mil|sil|twin\s+(?:brother|sister)|step(?:son|daughter|mum|mom|dad|sister|brother)|half[-\s](?:sister|brother)|other\s+half|angel|rainbow|bubba|significant\s+other|hubs|mam|mammy|ma|bf|gf|bestie|bff|sis|bro|husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|hubby|dh|son|daughter|mum|mom|mother|dad|father|sister|brother|friend|best friend|baby|little one|toddler|twins?|nan|nana|gran|granny|grandma|grandmother|grandad|grandpa|aunt|auntie|uncle|cousin|niece|nephew|ex|stepson|stepdaughter|stepmum|boss|colleague|midwife|consultant|gp|specialist|surgeon|nurse|obgyn|ob|re|doctor|doc|therapist|counsellor|counselor|embryologist|rainbow baby|angel baby|boy|girl`;

const SIGN_OFF = String.raw`(?:thanks|thank\s+(?:you|u)|thx|ty|many\s+thanks|cheers|best\s+wishes|best|all\s+the\s+best|regards|kind\s+regards|warm\s+regards|best\s+regards|love|lots\s+of\s+love|much\s+love|hugs|big\s+hugs|take\s+care|blessings|baby\s+dust|yours(?:\s+truly|\s+sincerely)?|x+o*)`;

const RULES: Rule[] = [
  // "My name is Sarah Jane Thompson", "my names Katie", "call me Anna", "I'm called Rose", "intro: Maria, 41"
  rule(
    String.raw`\b(?:my\s+name(?:'s|s|\s+is|\s+was)|name(?:'s|\s+is)|i(?:'m|m|\s+am)\s+called|call\s+me|signed|sincerely|(?:quick\s+)?intro|about\s+me)\s*[:,-]?\s*`,
    1,
    3,
  ),
  // "I'm Emily Carter, 41", "I am Emily and I'm 41", "im jess btw"
  rule(String.raw`\bi(?:'m|’m|m|\s+am)\s+`, 1, 3),
  // Sign-offs: "Thanks, Anna", "Best wishes, Rebecca Lowe", "Love Bex xx", "thanks for listening, Rach x"
  rule(String.raw`(?:^|[.!?\n]\s*|,\s*)${SIGN_OFF}(?:\s+[\p{L}']+){0,4}?\s*[,.!:\n\-–—]+\s*`, 1, 2, true),
  rule(String.raw`(?:^|[.!?\n]\s*)${SIGN_OFF}\s+`, 1, 2, true),
  // A name alone after a comma ending the post: "hope this helps, Sarah"
  rule(String.raw`,\s*`, 1, 1, true, { listedOnly: true }),
  // Greetings that carry a name: "Hi, Priyanka here" (the name comes first, see findNamesBefore)
  // A dash and a name at the very end: "— Rebecca"
  rule(String.raw`(?:^|\n|\s)[-–—~]\s*(?=\S+(?:\s+\S+)?\s*x*\s*$)`, 1, 2, true),
  // Family and carers by name: "my husband Tom Wilkins", "our son, Oliver", "a girl called Lily"
  rule(
    String.raw`\b(?:(?:my|our|her|his|their)\s+(?:(?:lovely|little|older|younger|big|eldest|youngest|new|late|dear|darling|amazing|twin|best|oldest|baby|first|second|third|only|middle|angel|rainbow|precious|beautiful|gorgeous)\s+)?(?:${RELATIVES})|\b(?:dh|dp|dw|df|dd|ds|hubby))(?:\s*,\s*|\s*\(\s*|\s+)(?:(?:called|named|is)\s+)?`,
    1,
    3,
  ),
  rule(
    String.raw`\b(?:(?:we|i|they)\s+(?:called|named|call)\s+(?:him|her|them|our\s+\w+)|(?:boy|girl|son|daughter|baby|twins|sister|brother)\s+(?:called|named))\s+`,
    1,
    2,
  ),
  // Doctors and staff by name: "Dr. Jonathan Harper", "Mr Patel", "Prof Quenby"
  rule(String.raw`\b(?:dr|prof|mr|mrs)\b\.?\s*`, 1, 3, false, { lowerSurname: true }),
  rule(String.raw`\bprofessor\b\.?\s*`, 1, 3, false, { lowerSurname: true }),
  rule(String.raw`\b(?:doctor|ms|miss|mx|sister|nurse|midwife)\b\.?\s*`, 1, 3),
  // "Hi guys, it's Jenny again", "hey all it's me, Rach"
  rule(String.raw`\b(?:hi|hello|hey|morning|evening)\b[^.!?\n]{0,20}?\bit['’]?s\s+(?:me\s*,?\s*)?`, 1, 2),
  // "find me on facebook, Laura Jenkins"
  rule(String.raw`\b(?:find|add|search\s+for)\s+me\s+on\s+\w+\s*[,:-]?\s*(?:as\s+|under\s+)?`, 2, 3),
];

/** Words after "Dr" in lower case that say what the doctor did or is, not who they are. */
const NOT_SURNAMES = new Set(
  (
    "said says told tells telling thinks thought wants wanted gave give gives put puts did does was is has had have " +
    "will would could should may might can recommended recommends suggested suggests prescribed prescribes wrote " +
    "appointment appt appts visit visits office surgery google who and or at in on the a an my our your his her " +
    "their this that today tomorrow yesterday next last first second again also just only still then so but not " +
    "called rang phoned asked agreed refused explained mentioned confirmed checked looked found saw sees seen " +
    "visit visits review reviews follow followup consult consultation letter note notes advice orders order " +
    "up out back about for with after before when if because to from of by as well too here there now"
  ).split(" "),
);

/**
 * A name or institution cited for its published work, not met in person: "Dr Alan Beer's book", "Professor
 * Quenby's research", "Mayo Clinic research". Not when the writer claims them: "my consultant Dr Roe's protocol".
 */
const CITED_AFTER =
  /^(?:['’]s)?\s+(?:books?|research|papers?|stud(?:y|ies)|trials?|podcasts?|lectures?|talks?|videos?|theory|work\s+on|articles?|guidelines?|leaflets?|website|data|findings|review)\b/iu;
export const isCited = (text: string, start: number, end: number): boolean =>
  CITED_AFTER.test(text.slice(end, end + 30)) && !/\b(?:my|our)\b[^.!?\n]{0,20}$/i.test(text.slice(Math.max(0, start - 25), start));

/** Title-words that make what follows a doctor, for the verified-physician exception. */
const DOCTOR_LEAD = /^(?:dr|doctor|prof|professor|mr|mrs|ms|miss)\b/i;

function wordsAt(text: string, at: number, max: number, r: Partial<Rule> = {}): { words: string[]; end: number } {
  const words: string[] = [];
  let end = at;
  const re = new RegExp(`(${NAME})`, "uy");
  const lower = /(\p{Ll}[\p{Ll}'’-]*\p{Ll})\b/uy;
  let pos = at;
  while (words.length < max) {
    re.lastIndex = pos;
    lower.lastIndex = pos;
    let word = re.exec(text)?.[1];
    if (word && r.listedOnly && !isFirstName(word)) break;
    if (!word || !isName(word)) {
      // Lower case: a listed first name as the first word, or a surname after a title.
      const low = lower.exec(text)?.[1];
      if (!low || words.length > 0) break;
      const asSurname = r.lowerSurname && low.length > 2 && !NOT_SURNAMES.has(low) && !isFirstName(low);
      if (!(isFirstName(low) || asSurname)) break;
      word = low;
      words.push(word);
      end = pos + word.length;
      break;
    }
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
      const { words, end } = wordsAt(text, at, r.max, r);
      if (words.length < r.min) continue;
      if (r.lastOnLine && !END_OF_LINE.test(text.slice(end))) continue;
      const lead = m[0].replace(/^[^a-z]+/i, "");
      // "I'm Emily" is a name; "I'm Fine" was caught by NOT_NAMES; "I'm Emily Carter" is certain either way.
      if (DOCTOR_LEAD.test(lead) && (isVerifiedPhysician(words, context) || isCited(text, at, end))) continue;
      // A doctor's name is the title with it, so that removing it leaves no "Dr." dangling.
      const start = DOCTOR_LEAD.test(lead) ? m.index + (m[0].length - m[0].trimStart().length) : at;
      spans.push({ kind: "name", start, end });
    }
  }
  spans.push(...findNamesBefore(text));
  return spans;
}

/** Capitals that are tests, drugs, bodies and services, not a clinic's name: "at EPU", "with NHS funding". */
const NOT_CLINICS = new Set(
  (
    "IVF ICSI IUI FET NHS HSE GP EPU EPAU EPAC ERPC MMC HCG AMH TSH FSH LH ERA PGT PGS NK TTC BFP BFN OTD ET EC DH DP " +
    "OH HFEA NICE RCOG ACOG ASRM ESHRE CDC FDA WHO UK US USA EU ICU NICU SCBU A&E ER ED OB OBGYN RE RI RPL PCOS " +
    "HSG MRI CT DVT PE OHSS APS IVIG TNF ANA TPO ERPC ET EC IUD PRP Christmas Easter Xmas Halloween Diwali Eid " +
    "Ramadan Thanksgiving Google Facebook Instagram Reddit Amazon Tesco Boots Costco Walmart Covid"
  ).split(" "),
);

/** The sentence speaks of treatment, so that "at Reprofit" is a clinic, not a shop or a city. */
const TREATMENT =
  /\b(?:cycl\w*|eggs?|donor|freez\w*|surrogacy|rounds?|transfer\w*|fets?|ivf|icsi|iui|treat\w*|clinic|consultant|scans?|bloods|collection|retrieval|hysteroscopy|lap\w*|appointments?|referr\w*|tested|testing|workup|protocol|embryos?|pgt-?a|nk|immune|doctors?|ri)\b/i;

/** Clinics by name only, in the places patients name them: "im at CRGH for my cycle", "ARGC want me to…". */
function findClinicsByName(text: string): Span[] {
  const spans: Span[] = [];
  const word = String.raw`(?:\p{Lu}{3,6}|\p{Lu}\p{Ll}+)`;
  const after = new RegExp(
    String.raw`\b(?:(?:at|with|under|used|tried|chose|chosen|picked|recommend|recommends|rate|rates)\s+(?:the\s+)?|(?:to|from|into)\s+the\s+)(${word}(?:\s+\p{Lu}[\p{L}]+){0,2})`,
    "gu",
  );
  const subject = new RegExp(
    String.raw`(?:^|[.!?\n]\s*)(?:[Tt]he\s+)?(${word}(?:\s+\p{Lu}\p{Ll}+){0,2})(?:\s+in\s+\p{Lu}\p{Ll}+)?\s+(?:want|wants|wanted|said|says|did|does|told|gave|offer|offers|offered|won'?t|wouldn'?t|refused|recommended|charge|charges|quoted|do|are|were)\b`,
    "gu",
  );
  for (const re of [after, subject]) {
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = m[1] ?? "";
      const first = name.split(/\s+/)[0] ?? "";
      if (NOT_CLINICS.has(first) || NOT_NAMES.has(first) || NOT_PLACE_START.has(first) || !TREATMENT.test(text)) continue;
      const start = m.index + m[0].indexOf(name);
      spans.push({ kind: "place", start, end: start + name.length });
    }
  }
  return spans;
}

/** Words people put before "here" that are not names: "Same here", "Lurker here", "Hope here too". */
const NOT_NAMES_HERE = new Set(
  (
    "same me us all also still hope anyone everyone someone somebody nobody noone nothing anything something ditto lurker " +
    "lurkers lurking newbie newbies new long-time longtime help love thanks thank sending hugs welcome agree yes no exactly " +
    "totally mine ours question update sorry fine okay ok exactly similar likewise same-ish sameish both mum mom dad"
  ).split(" "),
);

/** A name before the words that introduce it: "Hi, Priyanka here", "Jess here, 34". */
function findNamesBefore(text: string): Span[] {
  const spans: Span[] = [];
  const re = /(?:^|[.!?\n]\s*|\b(?:hi|hello|hey|morning|evening)\b[\s,!]*)([\p{L}'’-]+)(?:\s+([\p{L}'’-]+))?\s+here\b/giu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [first = "", second] = [m[1], m[2]];
    if (NOT_NAMES_HERE.has(first.toLowerCase())) continue;
    if (!(isName(first) || isFirstName(first)) || (second && !isName(second))) continue;
    const start = m.index + m[0].indexOf(first);
    spans.push({
      kind: "name",
      start,
      end: start + first.length + (second ? m[0].indexOf(second) - m[0].indexOf(first) - first.length + second.length : 0),
    });
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
  spans.push(...findClinicsByName(text));
  return spans.filter((span) => !isCited(text, span.start, span.end)).concat(findCalled(text));
}

/** "a clinic called Bourn Hall", "the hospital is Queen Charlotte's" */
function findCalled(text: string): Span[] {
  const spans: Span[] = [];
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
