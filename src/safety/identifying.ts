// Details that could identify someone: found while they write, offered for removal before posting, and
// highlighted for moderators. This module runs on the server and, bundled by esbuild, in the browser, so that
// both find exactly the same details (see asset.ts).
import { findPhoneNumbersInText } from "libphonenumber-js/max";
import { findNames, findPlaces, findPossibleNames, type NameContext } from "./names.ts";

export type IdentifyingKind = "email" | "phone" | "birthDate" | "recordNumber" | "address" | "socialProfile" | "name" | "place";

export type IdentifyingContext = NameContext;

interface Rule {
  kind: IdentifyingKind;
  pattern: string;
  /** Case-sensitive rules rely on capitals (street names, postcodes written properly). */
  caseSensitive?: boolean;
}

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DATE = String.raw`(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH},?\s+(?:19|20)\d{2}|${MONTH}\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}|${MONTH}\s+(?:19|20)\d{2})`;
const TLD = String.raw`(?:com|net|org|co\s*(?:\.|dot|\(dot\)|\[dot\])\s*uk|co|uk|ie|de|fr|es|it|nl|au|ca|nz|in|edu|gov|io|me|info|biz|us)`;
const SOCIAL = String.raw`(?:facebook|fb|instagram|insta|ig|twitter|x|tiktok|linkedin|youtube|reddit|threads|snapchat|snap|pinterest|tumblr|mastodon|bluesky|bsky|telegram|whatsapp|youtube)`;

export const IDENTIFYING_RULES: Rule[] = [
  { kind: "email", pattern: String.raw`[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}` },
  {
    kind: "socialProfile",
    pattern: String.raw`(?:https?:\/\/)?(?:www\.|m\.|vm\.)?(?:facebook|fb|instagram|twitter|x|tiktok|linkedin|youtube|reddit|threads|snapchat|pinterest|tumblr|bsky)\.(?:com|net|app|me)\/[A-Z0-9_.\/@?=-]+`,
  },
  // Written out to get past filters: "j_smith at yahoo dot com", "name (at) gmail (dot) com".
  {
    kind: "email",
    pattern: String.raw`\b[A-Z0-9._%+-]*[A-Z0-9_]\s*(?:\(at\)|\[at\]|\{at\}|<at>|\bat\b|@)\s*[A-Z0-9-]+(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\bdot\b|\.)\s*[A-Z0-9-]+)*?\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\bdot\b|\.)\s*${TLD}\b`,
  },
  { kind: "socialProfile", pattern: String.raw`(?<![\w.@])@[A-Z0-9_](?:[A-Z0-9_.]{1,29})\b` },
  // "my instagram is rose_ttc", "IG: rosettc", "find me on TikTok as hopefulmama"
  {
    kind: "socialProfile",
    pattern: String.raw`\b${SOCIAL}\s*(?:handle|name|account|page|username|user)?\s*(?:is|:|-|=|as|@)\s*@?[A-Z0-9_][A-Z0-9_.]{2,29}\b`,
  },
  {
    kind: "socialProfile",
    pattern: String.raw`\b(?:my|our)\s+(?:blog|website|site|page|channel|vlog)\s+(?:is\s+|at\s+|:\s*)?(?:https?:\/\/)?(?:www\.)?[A-Z0-9-]+(?:\.[A-Z0-9-]+)+\S*`,
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
    pattern: String.raw`\b(?:mrn|medical\s+record(?:\s+number|\s+no\.?|\s+#)?|record\s+(?:number|no\.?)|patient\s+(?:number|no\.?|id|#|reference)|hospital\s+(?:number|no\.?|id|reference)|hosp\s+no\.?|nhs\s+(?:number|no\.?)|chi\s+(?:number|no\.?)|unit\s+number|insurance\s+(?:number|no\.?|id|policy|policy\s+number|member\s+id)|policy\s+(?:number|no\.?)|member\s+(?:id|number|no\.?)|subscriber\s+id|group\s+number|medicare\s+(?:number|no\.?)|medicaid\s+(?:number|id)|health\s+card(?:\s+number)?|ssn|social\s+security(?:\s+number)?|ni\s+number|national\s+insurance(?:\s+number)?|case\s+(?:number|no\.?)|reference\s+(?:number|no\.?))\b(?:\s+(?:is|was))?[\s:#.-]*(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9/-]{2,}(?:\s?[A-Z0-9-]{2,}){0,3}`,
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
  // UK postcodes: SW1A 1AA, M13 9WL, b15 2tt. The inward part's letters exclude C, I, K, M, O and V.
  {
    kind: "address",
    pattern: String.raw`(?<![\w-])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])`,
    caseSensitive: true,
  },
  { kind: "address", pattern: String.raw`\bpost\s?code(?:\s+is)?[\s:]*[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b` },
  // US ZIP codes next to a state ("Austin, TX 78701") or named as such ("zip code 10001").
  {
    kind: "address",
    pattern: String.raw`\b(?:(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY])\s+\d{5}(?:-\d{4})?|zip(?:\s*code)?(?:\s+is)?[\s:#]*\d{5}(?:-\d{4})?)\b`,
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

const PHONE_WORDS =
  /\b(?:call|ring|phone|tel|telephone|mobile|cell|number|text|txt|whats\s?app|contact|reach|fax|landline|no\.?|on)\W{0,6}$/i;

function findPhones(text: string): IdentifyingDetail[] {
  const found: IdentifyingDetail[] = [];
  // "extended" is the POSSIBLE leniency: fictional and reserved ranges (07700 900xxx, 555-01xx) are what
  // people type as examples, and a valid-looking shape is enough to warn about.
  for (const region of ["GB", "US"] as const) {
    for (const n of findPhoneNumbersInText(text, { defaultCountry: region, extended: true })) {
      const raw = text.slice(n.startsAt, n.endsAt);
      const digits = raw.replace(/\D/g, "");
      const international = /^\s*(?:\+|00)/.test(raw);
      const before = text.slice(Math.max(0, n.startsAt - 30), n.startsAt);
      // Part of a DOI, a URL or a decimal: "10.1016/j.jri.2020.103123".
      if (/[./\w]$/.test(before) || /^[./]\w/.test(text.slice(n.endsAt, n.endsAt + 2)) || /\bdoi\b/i.test(before)) continue;
      const grouped = /^\(?\d{3}\)?[\s.-]\d{3,4}(?:[\s.-]\d{4})?$/.test(raw.trim());
      // A national number needs the length of a real one, or a phone word or phone-like grouping beside it:
      // "1200000 sperm" and "1 2 3 4 5 6 7" are not phone numbers.
      if (!international && digits.length < 10 && !PHONE_WORDS.test(before) && !grouped) continue;
      if (/(?:^|\s)\d(?:\s\d){3,}/.test(raw)) continue;
      // Lab values and units right after the number: "1200000 IU", "12345678 copies/ml".
      if (/^\s*(?:iu|u\/l|mg|mcg|ml|mmol|pmol|nmol|copies|cells|x10|%|million|k\b)/i.test(text.slice(n.endsAt, n.endsAt + 12))) continue;
      found.push({ kind: "phone", text: raw, start: n.startsAt, end: n.endsAt });
    }
  }
  return found;
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
