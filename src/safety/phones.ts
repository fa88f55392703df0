// Phone numbers in every national and international format: libphonenumber-js's text finder with the regions
// Curbside serves as defaults, then a fallback for national numbers of other countries ("0151 23456789" in
// Germany, "021 123 4567" in New Zealand), filtered for dates, lab values, references and DOIs.
import { findPhoneNumbersInText } from "libphonenumber-js/max";

export interface PhoneSpan {
  kind: "phone";
  text: string;
  start: number;
  end: number;
}

const PHONE_WORDS =
  /\b(?:call|ring|phone|tel|telephone|mobile|mob|cell|number|nummer|numero|text|txt|whats\s?app|contact|reach|fax|landline|no\.?|on)\W{0,6}$/i;
/** A number named as something else: "pharmacy ref 2310458761", "PMID 30854567", "order 1234567890". */
const NOT_PHONE_WORDS =
  /\b(?:ref|reference|order|batch|lot|tracking|invoice|pmid|isbn|doi|serial|code|barcode|receipt|transaction|booking|confirmation)\b[^\d\n]{0,40}$/i;
/** Dates and ranges written with separators: "02.10.2025", "12/03/2024", "2019-2024". */
const DATE_LIKE =
  /^(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})|(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}|(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2})$/;
/** Units and lab words right after a number: "1200000 IU", "12345678 copies/ml". */
const UNIT_AFTER = /^\s*(?:iu|u\/l|mg|mcg|ml|mmol|pmol|nmol|copies|cells|x10|%|million|k\b|sperm|per\b|\/)/i;
/**
 * A national number of a country outside the default regions: a leading 0 and ten to twelve digits in
 * groups, "0151 23456789", "06 12 34 56 78", "021 123 4567", "082 123 4567", "06-12345678".
 */
const NATIONAL = /(?<![\w.+/-])\(?0\d{1,4}\)?(?:[\s.-]?\d{2,8}){1,5}(?![\w/-]|\.\d)/g;

function plausible(text: string, start: number, end: number, international: boolean, grouped: boolean): boolean {
  const raw = text.slice(start, end).trim();
  const digits = raw.replace(/\D/g, "");
  const before = text.slice(Math.max(0, start - 30), start);
  // Part of a DOI, a URL or a decimal: "10.1016/j.jri.2020.103123".
  if (/[./\w]$/.test(before) || /^[./]\w/.test(text.slice(end, end + 2)) || /\bdoi\b/i.test(before)) return false;
  if (DATE_LIKE.test(raw) || UNIT_AFTER.test(text.slice(end, end + 12))) return false;
  if (NOT_PHONE_WORDS.test(before) && !PHONE_WORDS.test(before.slice(-12))) return false;
  // A national number needs the length of a real one, or a phone word or phone-like grouping beside it:
  // "1200000 sperm" and "1 2 3 4 5 6 7" are not phone numbers.
  if (!international && digits.length < 10 && !PHONE_WORDS.test(before) && !grouped) return false;
  return !/(?:^|\s)\d(?:\s\d){3,}/.test(raw);
}

/**
 * Whether a text may hold a number libphonenumber's finder could match: five digits (of any script) in a run
 * whose gaps are at most four characters of punctuation, space or "x", as its matcher allows between digit
 * blocks. Its finder builds and throws an error for every candidate it rejects, which made it 90% of the
 * guard's time on ordinary text; a text without such a run skips it. The corpora in tests/fixtures give the
 * same findings with and without this check (tests/unit/phones.test.ts).
 */
const MAYBE_PHONE = /\p{Nd}(?:(?:[^\p{L}\p{Nd}]|[xX]){0,4}\p{Nd}){4}/u;

export function findPhones(text: string, prefilter = true): PhoneSpan[] {
  const found: PhoneSpan[] = [];
  const add = (start: number, end: number) => {
    if (!found.some((f) => start < f.end && end > f.start)) found.push({ kind: "phone", text: text.slice(start, end), start, end });
  };
  // "extended" is the POSSIBLE leniency: fictional and reserved ranges (07700 900xxx, 555-01xx) are what
  // people type as examples, and a valid-looking shape is enough to warn about.
  for (const region of prefilter && !MAYBE_PHONE.test(text) ? [] : (["GB", "US", "IE", "AU", "IN"] as const)) {
    for (const n of findPhoneNumbersInText(text, { defaultCountry: region, extended: true })) {
      const raw = text.slice(n.startsAt, n.endsAt);
      const grouped = /^\(?\d{3}\)?[\s.-]\d{3,4}(?:[\s.-]\d{4})?$/.test(raw.trim());
      if (plausible(text, n.startsAt, n.endsAt, /^\s*(?:\+|00)/.test(raw), grouped)) add(n.startsAt, n.endsAt);
    }
  }
  // Digits spaced out to get past filters: "0 7 7 0 0 9 0 0 1 2 3".
  for (const m of text.matchAll(/(?<![\w+])(?:\+\s?\d|0)(?:[\s.-]\d){9,12}(?!\w)/g)) add(m.index, m.index + m[0].length);
  NATIONAL.lastIndex = 0;
  for (let m = NATIONAL.exec(text); m; m = NATIONAL.exec(text)) {
    const digits = m[0].replace(/\D/g, "").length;
    if (digits >= 10 && digits <= 12 && plausible(text, m.index, m.index + m[0].length, false, false)) add(m.index, m.index + m[0].length);
  }
  return found.sort((a, b) => a.start - b.start);
}
