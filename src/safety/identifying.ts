// Details that could identify someone: found while they write, offered for removal before posting, and
// highlighted for moderators. Rules are plain data so that the browser applies the same list.

export type IdentifyingKind = "email" | "phone" | "birthDate" | "recordNumber" | "address" | "socialProfile";

export interface IdentifyingRule {
  kind: IdentifyingKind;
  pattern: string;
}

export const IDENTIFYING_RULES: IdentifyingRule[] = [
  { kind: "email", pattern: String.raw`[A-Z0-9._%+-]+@[A-Z0-9-]+(\.[A-Z0-9-]+)*\.[A-Z]{2,}` },
  {
    kind: "socialProfile",
    pattern: String.raw`(https?:\/\/)?(www\.|m\.)?(facebook|fb|instagram|twitter|x|tiktok|linkedin|youtube|reddit|threads|snapchat|pinterest)\.(com|net)\/[A-Z0-9_.\/@-]+`,
  },
  { kind: "socialProfile", pattern: String.raw`(^|(?<=\s))@[A-Z0-9_]{3,30}\b` },
  {
    kind: "birthDate",
    pattern: String.raw`\b(born( on)?|date of birth|d\.?o\.?b\.?|birthday( is)?)\b[\s:,-]{0,3}(\d{1,2}[\/.\- ]\d{1,2}[\/.\- ]\d{2,4}|\d{1,2}(st|nd|rd|th)? (of )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*,? \d{4}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}(st|nd|rd|th)?,? \d{4}|\d{4}-\d{2}-\d{2})`,
  },
  {
    kind: "recordNumber",
    pattern: String.raw`\b(mrn|medical record( number| no\.?| #)?|record (number|no\.?)|patient (number|no\.?|id|#)|hospital (number|no\.?)|nhs (number|no\.?)|insurance (number|no\.?|id|policy)|policy (number|no\.?)|member (id|number)|health card( number)?|ssn|social security( number)?)\b( (is|was))?[\s:#.-]*[A-Z0-9][A-Z0-9-]{2,}( ?[A-Z0-9-]{2,}){0,3}`,
  },
  { kind: "recordNumber", pattern: String.raw`\b\d{3}-\d{2}-\d{4}\b` },
  { kind: "phone", pattern: String.raw`(?<![\w.\/-])(\+\d{1,3}[ .-]?)?(\(\d{1,4}\)[ .-]?)?\d{2,4}([ .-]\d{2,4}){1,3}(?!\w|[\/-]|\.\d)` },
  {
    kind: "address",
    pattern: String.raw`\b\d{1,5}[A-Z]? +([A-Z][a-z]+\.? +){1,3}(Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq)\b\.?`,
  },
];

export const IDENTIFYING_LABELS: Record<IdentifyingKind, string> = {
  email: "an email address",
  phone: "a phone number",
  birthDate: "a date of birth",
  recordNumber: "a medical record or insurance number",
  address: "a street address",
  socialProfile: "a social media profile",
};

export interface IdentifyingDetail {
  kind: IdentifyingKind;
  text: string;
  start: number;
  end: number;
}

const digits = (s: string) => s.replace(/\D/g, "").length;

export function findIdentifyingDetails(text: string): IdentifyingDetail[] {
  const found: IdentifyingDetail[] = [];
  for (const rule of IDENTIFYING_RULES) {
    // The address rule is case-sensitive (street names are capitalised); the others are not.
    const re = new RegExp(rule.pattern, rule.kind === "address" ? "g" : "gi");
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      // A phone number has 7 to 15 digits, and is not a date or a lab value like 2026-11-21.
      if (
        rule.kind === "phone" &&
        (digits(m[0]) < 7 || digits(m[0]) > 15 || /^\d{4}-\d{2}-\d{2}$/.test(m[0]) || /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(m[0]))
      )
        continue;
      const start = m.index;
      const end = start + m[0].length;
      if (found.some((f) => start < f.end && end > f.start)) continue;
      found.push({ kind: rule.kind, text: m[0], start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

export const REMOVED = "[removed]";

/** The text with every identifying detail replaced by "[removed]". */
export function removeIdentifyingDetails(text: string): string {
  let out = "";
  let at = 0;
  for (const d of findIdentifyingDetails(text)) {
    out += text.slice(at, d.start) + REMOVED;
    at = d.end;
  }
  return out + text.slice(at);
}
