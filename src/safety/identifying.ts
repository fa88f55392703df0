// Details that could identify someone: found while they write, offered for removal before posting, and
// highlighted for moderators. This module runs on the server and, bundled by esbuild, in the browser, so that
// both find exactly the same details (see asset.ts).
import { findNames, findPlaces, findPossibleNames, type NameContext } from "./names.ts";
import { findPhones } from "./phones.ts";

export type IdentifyingKind = "email" | "phone" | "birthDate" | "recordNumber" | "address" | "socialProfile" | "name" | "place";

export type IdentifyingContext = NameContext;

interface Rule {
  kind: IdentifyingKind;
  pattern: string;
  /** Case-sensitive rules rely on capitals (street names, postcodes written properly). */
  caseSensitive?: boolean;
}

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const ORDINAL = String.raw`(?:\d{1,2}(?:st|nd|rd|th)?|(?:twenty|thirty)?-?\s?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)`;
const YEAR = String.raw`(?:(?:19|20)\d{2}|['’]\d{2})`;
const DATE = String.raw`(?:(?:the\s+)?${ORDINAL}\s+(?:of\s+)?${MONTH},?\s+${YEAR}|${MONTH}\s+(?:the\s+)?${ORDINAL},?\s+${YEAR}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH},?\s+(?:19|20)\d{2}|${MONTH}\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}|${MONTH}\s+(?:19|20)\d{2})`;
const TLD = String.raw`(?:com|net|org|co\s*(?:\.|dot|\(dot\)|\[dot\])\s*uk|co|uk|ie|de|fr|es|it|nl|au|ca|nz|in|edu|gov|io|me|info|biz|us)`;
const SOCIAL = String.raw`(?:facebook|fb|instagram|insta|ig|twitter|x|tiktok|linkedin|youtube|reddit|threads|snapchat|snap|pinterest|tumblr|mastodon|bluesky|bsky|telegram|whatsapp|youtube)`;

/** A UK postcode's outward code, in the real postcode areas only: "LS17", "BS6", "M13". */
const OUTWARD = String.raw`(?:AB|AL|BA|BB|BD|BH|BL|BN|BR|BS|BT|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DL|DN|DT|DY|EC|EH|EN|EX|FK|FY|GL|GU|HA|HD|HG|HP|HR|HS|HU|HX|IG|IP|IV|KA|KT|KW|KY|LA|LD|LE|LL|LN|LS|LU|ME|MK|ML|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|RM|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|WA|WC|WD|WF|WN|WR|WS|WV|YO|ZE|[BEGLMNSW])\d{1,2}[A-Z]?(?![\w-])`;

export const IDENTIFYING_RULES: Rule[] = [
  { kind: "email", pattern: String.raw`[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}` },
  {
    kind: "socialProfile",
    pattern: String.raw`(?:https?:\/\/)?(?:www\.|m\.|vm\.)?(?:facebook|fb|instagram|twitter|x|tiktok|linkedin|youtube|reddit|threads|snapchat|pinterest|tumblr|bsky)\.(?:com|net|app|me)\/[A-Z0-9_.\/@?=-]+`,
  },
  // Written out to get past filters: "j_smith at yahoo dot com", "name (at) gmail (dot) com".
  {
    kind: "email",
    pattern: String.raw`\b[A-Z0-9._%+-]*[A-Z0-9_](?:\s+dot\s+[A-Z0-9_]+)*\s*(?:\(at\)|\[at\]|\{at\}|<at>|\bat\b|@)\s*[A-Z0-9-]+(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\bdot\b|\.)\s*[A-Z0-9-]+)*?\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\bdot\b|\.)\s*${TLD}\b`,
  },
  // "jenna.r.smith at gmail", "kaz_88 @ hotmail": a mail provider named, the rest left off.
  {
    kind: "email",
    pattern: String.raw`\b[A-Z0-9._%+-]*[A-Z0-9_]\s*(?:\(at\)|\[at\]|\bat\b|@)\s*(?:gmail|googlemail|yahoo|hotmail|outlook|icloud|btinternet|protonmail|aol|live|msn|ymail|rediffmail|eircom)\b`,
  },
  // "my hotmail is ttc_bex_88", "gmail: rosettc": a mailbox named by its provider.
  {
    kind: "email",
    pattern: String.raw`\b(?:gmail|hotmail|yahoo|outlook|icloud|e-?mail)(?:\s+address)?\s*(?:is|:|-)\s*[A-Z0-9._%+-]*[\d_.][A-Z0-9._%+-]*\b`,
  },
  { kind: "socialProfile", pattern: String.raw`(?<![\w.@])@[A-Z0-9_](?:[A-Z0-9_.]{1,29})\b` },
  // "search hopeful.hannah on tiktok", "ttc_rosie on insta"
  {
    kind: "socialProfile",
    pattern: String.raw`(?:\b(?:search|find|add|follow)\s+(?:for\s+)?(?:me\s+)?@?[A-Z0-9_][A-Z0-9_.]{2,29}|@?[A-Z0-9]*[._][A-Z0-9_.]+)\s+on\s+${SOCIAL}\b`,
  },
  // "my instagram is rose_ttc", "IG: rosettc", "find me on TikTok as hopefulmama"
  {
    kind: "socialProfile",
    pattern: String.raw`\b${SOCIAL}\s*(?:handle|name|account|page|channel|username|user)?\s*(?:is|it'?s|its|:|-|=|as|@)\s*@?[A-Z0-9_][A-Z0-9_.]{2,29}\b`,
  },
  {
    kind: "socialProfile",
    pattern: String.raw`\b(?:(?:my|our)\s+(?:blog|website|site|page|channel|vlog)|i\s+(?:blog|vlog|post|write))\s+(?:is\s+|at\s+|on\s+|:\s*)?(?:https?:\/\/)?(?:www\.)?[A-Z0-9-]+(?:\.[A-Z0-9-]+)+\S*`,
  },
  {
    kind: "birthDate",
    pattern: String.raw`\b(?:(?:i\s+was\s+|was\s+|i'm\s+|am\s+)?born(?:\s+on|\s+in)?|date\s+of\s+birth(?:\s+is)?|d\.?o\.?b\b\.?(?:\s+is)?|birth\s*date(?:\s+is)?|(?:my\s+)?birthday(?:\s+is|'s)?)(?:\b|(?<=\.))[\s:,-]{0,3}${DATE}`,
  },
  { kind: "birthDate", pattern: String.raw`\b(?:i\s+was|i'm|i\s+am)\s+born\s+(?:in\s+)?(?:${MONTH}\s+)?(?:19|20)\d{2}\b` },
  // A date of birth with no year still narrows a person down a lot: "my birthday is 4th July".
  {
    kind: "birthDate",
    pattern: String.raw`\b(?:d\.?o\.?b\.?|date of birth|my birthday(?:\s+is|'s)?)[\s:,-]{0,3}(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}`,
  },
  {
    kind: "recordNumber",
    pattern: String.raw`\b(?:mrn|medical\s+record(?:\s+number|\s+no\.?|\s+#)?|record\s+(?:number|no\.?)|patient\s+(?:number|no\.?|id|#|reference)|hospital\s+(?:number|no\.?|id|reference)|hosp\s+no\.?|nhs\s+(?:number|no\.?)|chi\s+(?:number|no\.?)|unit\s+number|insurance\s+(?:number|no\.?|id|policy|policy\s+number|member\s+id)|policy\s+(?:number|no\.?)|member\s+(?:id|number|no\.?)|subscriber\s+id|group\s+number|medicare\s+(?:number|no\.?)|medicaid\s+(?:number|id)|health\s+card(?:\s+number)?|ssn|social\s+security(?:\s+number)?|ni\s+number|national\s+insurance(?:\s+number)?|case\s+(?:number|no\.?)|reference\s+(?:number|no\.?)|(?:membership|member|account|customer|client|claim|pps|ppsn|ihi|hse|gms|medical\s+card|registration|hospital|health|insurance)\s+(?:number|no\.?|num|id|#)|(?:blue\s+cross|bcbs|aetna|cigna|humana|kaiser|united\s*healthcare|uhc|bupa|axa|vitality|aviva|laya|irish\s+life|vhi|medibank|nib)\s+(?:member\s+|membership\s+|policy\s+)?(?:id|number|no\.?|#))\b(?:\s+(?:is|was))?[\s:#.-]*(?=[A-Z0-9-]*\d|[A-Z]{1,4}\s\d)[A-Z0-9][A-Z0-9/-]{2,}(?:\s?[A-Z0-9-]{2,}){0,3}`,
  },
  { kind: "recordNumber", pattern: String.raw`\b\d{3}-\d{2}-\d{4}\b` },
  // A UK National Insurance number: AB 12 34 56 C.
  {
    kind: "recordNumber",
    pattern: String.raw`\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b`,
    caseSensitive: true,
  },
  {
    kind: "address",
    pattern: String.raw`\b(?:(?:flat|apt|apartment|unit|suite)\s*\d+[A-Z]?,?\s+)?\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+\.?\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Grove|Gardens|Gdns|Mews|Row|Parade|Hill|Park|View|Rise|Walk|Green|Highway|Hwy|Circle|Cir|Parkway|Pkwy|Trail|Gate|Vale|Wharf)\b\.?(?:,?\s+(?:[A-Z][a-z]+\s?){1,3})?`,
    caseSensitive: true,
  },
  {
    kind: "address",
    pattern: String.raw`\b(?:i|we)\s+live\s+(?:at|on)\s+\d{1,5}[A-Za-z]?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3}`,
    caseSensitive: true,
  },
  { kind: "address", pattern: String.raw`\b(?:p\.?\s?o\.?\s+box)\s+\d+` },
  // A street named without its number: "I live on Wellington Road", "we're just off Church Lane".
  {
    kind: "address",
    pattern: String.raw`\b(?:[Oo]n|[Oo]ff|[Ii]n|[Nn]ear)\s+(?:[A-Z][a-z'’]+\s+){1,3}(?:Street|Road|Avenue|Lane|Drive|Boulevard|Close|Crescent|Terrace|Grove|Gardens|Mews|Parade|Way)\b`,
    caseSensitive: true,
  },
  // An Irish Eircode: "D02 X285", "A65 F4E2".
  {
    kind: "address",
    pattern: String.raw`\beircode\b[\s:,-]*(?:is\s+)?[A-Z]\d{2}\s?[A-Z0-9]{4}\b|\b[AC-FHKNPRTV-Y]\d{2}\s[AC-FHKNPRTV-Y0-9]{4}\b`,
  },
  // UK postcodes: SW1A 1AA, M13 9WL, b15 2tt. The inward part's letters exclude C, I, K, M, O and V.
  {
    kind: "address",
    pattern: String.raw`(?<![\w-])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])`,
    caseSensitive: true,
  },
  // An outward code alone, after a word of place or before "here": "anyone near LS17?", "BS6 here".
  {
    kind: "address",
    pattern: String.raw`(?:\b(?:[Nn]ear|[Ii]n|[Ff]rom|[Aa]round|[Pp]ostcode)\s+${OUTWARD}|(?:^|[.!?\n]\s*)${OUTWARD}(?=\s+here\b))`,
    caseSensitive: true,
  },
  { kind: "address", pattern: String.raw`\bpost\s?code(?:\s+is)?[\s:]*[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b` },
  // US ZIP codes next to a state ("Austin, TX 78701") or named as such ("zip code 10001").
  {
    kind: "address",
    pattern: String.raw`\b(?:(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY])\s+\d{5}(?:-\d{4})?|zip(?:\s*code)?(?:\s+is)?[\s:#]*\d{5}(?:-\d{4})?|\d{5}\s+zip(?:\s*code)?)\b`,
  },
];

export const IDENTIFYING_LABELS: Record<IdentifyingKind, string> = {
  email: "an email address",
  phone: "a phone number",
  birthDate: "a date of birth",
  recordNumber: "a medical record, NHS or insurance number",
  address: "an address or postcode",
  socialProfile: "a social media profile",
  name: "a person's name",
  place: "a named clinic, hospital or practice",
};

export interface IdentifyingDetail {
  kind: IdentifyingKind;
  text: string;
  start: number;
  end: number;
}

/** The NHS number's mod-11 check digit: weights 10..2 over the first nine digits. */
export function isNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits) || /^(\d)\1{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

const MAIL_PROVIDERS =
  /^(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|icloud|me|mac|aol|btinternet|bt|sky|virgin|virginmedia|talktalk|protonmail|proton|gmx|mail|zoho|fastmail|comcast|verizon|att|sbcglobal|ntlworld|blueyonder|tiscali|orange|web|yandex|qq)$/i;

/**
 * "j_smith at yahoo dot com" is an address; "me at instagram.com" is not. A spelled-out "at" needs a local
 * part that looks like one (digits, dots, underscores) or a mail provider after it.
 */
function plausibleSpelledEmail(match: string): boolean {
  const parts = /^([\w.%+-]+)\s*(?:\(at\)|\[at\]|\{at\}|<at>|at|@)\s*([\w-]+)/i.exec(match);
  if (!parts || match.includes("@")) return true;
  const [, local = "", domain = ""] = parts;
  return /[\d_.]/.test(local) || MAIL_PROVIDERS.test(domain);
}

/** Ten digits, alone or as 3-3-4, that pass the NHS check digit. */
function findNhsNumbers(text: string): IdentifyingDetail[] {
  const out: IdentifyingDetail[] = [];
  const re = /(?<![\d.+-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d.])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (isNhsNumber(m[0].replace(/\D/g, ""))) out.push({ kind: "recordNumber", text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const compiled = IDENTIFYING_RULES.map((rule) => ({ rule, re: new RegExp(rule.pattern, rule.caseSensitive ? "gu" : "giu") }));

export function findIdentifyingDetails(text: string, context: IdentifyingContext = {}): IdentifyingDetail[] {
  const candidates: IdentifyingDetail[] = [];
  for (const { rule, re } of compiled) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      if (rule.kind === "email" && !plausibleSpelledEmail(m[0])) continue;
      candidates.push({ kind: rule.kind, text: m[0], start: m.index, end: m.index + m[0].length });
    }
  }
  candidates.push(...findNhsNumbers(text), ...findPhones(text));
  for (const s of [...findNames(text, context), ...findPlaces(text)])
    candidates.push({ kind: s.kind, text: text.slice(s.start, s.end), start: s.start, end: s.end });
  // Earlier rules win where details overlap (an email's digits are not also a phone); then the longest.
  const found: IdentifyingDetail[] = [];
  for (const c of candidates) {
    const clash = found.findIndex((f) => c.start < f.end && c.end > f.start);
    const other = found[clash];
    if (!other) found.push(c);
    else if (c.end - c.start > other.end - other.start && other.kind === c.kind) found[clash] = c;
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * What might identify someone though no rule is sure, for moderators' second colour: runs of seven or more
 * digits, and capitalised words after "I'm", "my name is", "Dr." and the like.
 */
export function findPossibleDetails(text: string, context: IdentifyingContext = {}): { start: number; end: number }[] {
  const out = findPossibleNames(text, context);
  const digits = /\d(?:[\s().-]?\d){6,}/g;
  for (let m = digits.exec(text); m; m = digits.exec(text)) out.push({ start: m.index, end: m.index + m[0].length });
  return out.sort((a, b) => a.start - b.start);
}

export const REMOVED = "[removed]";

/** The text with every identifying detail replaced by "[removed]". */
export function removeIdentifyingDetails(text: string, context: IdentifyingContext = {}): string {
  let out = "";
  let at = 0;
  for (const d of findIdentifyingDetails(text, context)) {
    out += text.slice(at, d.start) + REMOVED;
    at = d.end;
  }
  return out + text.slice(at);
}
