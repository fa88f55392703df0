// Works that physicians cite in answers and articles: DOIs and PubMed IDs, typed one per line with an
// optional citation after the identifier. Parsed and validated here, stored as JSON, and rendered as a
// numbered list with links, much like the reference list of a PubMed record.
import { z } from "zod";

export interface Reference {
  type: "doi" | "pmid";
  /** The DOI as "10.prefix/suffix", or the PubMed ID as digits. */
  id: string;
  /** The citation as the author wrote it: authors, title, journal, year. May be empty. */
  text: string;
}

export const REFERENCES_MAX = 30;
export const CITATION_MAX = 400;

// A DOI is "10." then a registrant code of 4 to 9 digits, optionally with sub-parts ("10.1000.10"), then "/" and a
// suffix of at least one visible character (Crossref's pattern for modern DOIs, widened to any visible character
// except quotes and angle brackets). A PubMed ID is 1 to 8 digits, never starting with 0.
const DOI = /^10\.\d{4,9}(?:\.\d+)*\/[^\s"<>]+$/;
const PMID = /^[1-9]\d{0,7}$/;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

const FORMAT_HINT = "Write a DOI such as 10.1093/humrep/deaa123 or a PubMed ID such as PMID: 31234567, one per line.";

/** Reads one identifier: a DOI (bare, "doi:", or a doi.org link) or a PubMed ID ("PMID:", bare, or a PubMed link). */
function readIdentifier(token: string): Pick<Reference, "type" | "id"> | null {
  let t = token.replace(/[.,;]+$/, "");
  const doiLink = /^https?:\/\/(?:dx\.)?doi\.org\/(.+)$/i.exec(t);
  if (doiLink?.[1]) {
    try {
      t = decodeURIComponent(doiLink[1]);
    } catch {
      return null;
    }
    return DOI.test(t) ? { type: "doi", id: t } : null;
  }
  const pubmedLink = /^https?:\/\/(?:pubmed\.ncbi\.nlm\.nih\.gov|www\.ncbi\.nlm\.nih\.gov\/pubmed)\/(\d+)\/?$/i.exec(t);
  if (pubmedLink?.[1]) return PMID.test(pubmedLink[1]) ? { type: "pmid", id: pubmedLink[1] } : null;
  const prefixed = /^(doi|pmid):?(.*)$/i.exec(t);
  if (prefixed?.[1]) {
    const value = (prefixed[2] ?? "").trim();
    if (prefixed[1].toLowerCase() === "doi") return DOI.test(value) ? { type: "doi", id: value } : null;
    return PMID.test(value) ? { type: "pmid", id: value } : null;
  }
  if (DOI.test(t)) return { type: "doi", id: t };
  if (PMID.test(t)) return { type: "pmid", id: t };
  return null;
}

/** DOIs are case-insensitive; two spellings of one DOI are the same work. */
const sameWork = (a: Pick<Reference, "type" | "id">, b: Pick<Reference, "type" | "id">) =>
  a.type === b.type && a.id.toLowerCase() === b.id.toLowerCase();

export type ParsedReferences = { ok: true; references: Reference[] } | { ok: false; message: string };

/**
 * Parses the references box: one work per line, the identifier first ("doi:", "PMID:", a bare DOI or PubMed ID,
 * or a doi.org / PubMed link), then optionally the citation. Blank lines are skipped. The first problem is
 * reported with its line number.
 */
export function parseReferences(input: string): ParsedReferences {
  const references: Reference[] = [];
  const lines = input.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    const where = `Reference on line ${i + 1}`;
    if (CONTROL.test(line)) return { ok: false, message: `${where} contains characters that can't be stored.` };
    // "PMID: 123" and "doi: 10.x/y" put a space after the prefix; join it to the identifier.
    const spaced = /^(doi|pmid)(?:\s*:\s*|\s+)(\S+)\s*(.*)$/i.exec(line);
    const [token, rest] = spaced ? [`${spaced[1]}:${spaced[2]}`, spaced[3] ?? ""] : splitFirst(line);
    const identifier = readIdentifier(token);
    if (!identifier) {
      const shown = token.length > 60 ? `${token.slice(0, 60)}…` : token;
      return { ok: false, message: `${where}: “${shown}” is not a DOI or a PubMed ID. ${shapeHint(token)}${FORMAT_HINT}` };
    }
    const text = rest.replace(/^[-–—:.,;\s]+/, "").trim();
    if (text.length > CITATION_MAX) {
      return { ok: false, message: `${where}: the citation must be at most ${CITATION_MAX} characters.` };
    }
    const earlier = references.findIndex((r) => sameWork(r, identifier));
    if (earlier >= 0) return { ok: false, message: `${where} repeats reference ${earlier + 1}.` };
    if (references.length === REFERENCES_MAX) return { ok: false, message: `Cite at most ${REFERENCES_MAX} references.` };
    references.push({ ...identifier, text });
  }
  return { ok: true, references };
}

/** What the shape of the identifier that was meant should be, when it is clear which one was meant. */
function shapeHint(token: string): string {
  if (/^(pmid|https?:\/\/(pubmed|www\.ncbi)|\d+[.,;]*$)/i.test(token)) return "A PubMed ID is 1 to 8 digits, not starting with 0. ";
  if (/^(doi|10\.|https?:\/\/(dx\.)?doi\.org)/i.test(token))
    return "A DOI is “10.”, a registrant code of 4 to 9 digits, “/”, then the rest without spaces. ";
  return "";
}

function splitFirst(line: string): [string, string] {
  const space = line.search(/\s/);
  return space < 0 ? [line, ""] : [line.slice(0, space), line.slice(space + 1)];
}

/** The form field: optional text that parses into references, or a field error that says what is wrong. */
export const referencesField = z
  .string()
  .max(20_000, "References must be at most 20,000 characters.")
  .optional()
  .default("")
  .transform((value, ctx) => {
    const parsed = parseReferences(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.references;
  });

/** References as stored (JSON), read defensively: anything malformed is left out rather than shown. */
export function storedReferences(value: unknown): Reference[] {
  if (!Array.isArray(value)) return [];
  const out: Reference[] = [];
  for (const item of value) {
    if (!item || typeof item !== "object") continue;
    const { type, id, text } = item as Record<string, unknown>;
    if (type === "doi" && typeof id === "string" && DOI.test(id)) out.push({ type, id, text: typeof text === "string" ? text : "" });
    if (type === "pmid" && typeof id === "string" && PMID.test(id)) out.push({ type, id, text: typeof text === "string" ? text : "" });
  }
  return out;
}

/** The references box's text for editing: one line per work, identifier first. */
export function referencesText(references: Reference[]): string {
  return references.map((r) => `${r.type === "doi" ? "doi:" : "PMID: "}${r.id}${r.text ? ` ${r.text}` : ""}`).join("\n");
}

export function doiUrl(doi: string): string {
  return `https://doi.org/${doi.split("/").map(encodeURIComponent).join("/")}`;
}

export function pubmedUrl(pmid: string): string {
  return `https://pubmed.ncbi.nlm.nih.gov/${pmid}/`;
}

/** What the template shows: a numbered list, each with its citation and a link, as PubMed lists them. */
export function referenceList(value: unknown) {
  return storedReferences(value).map((r, i) => ({
    number: i + 1,
    text: r.text,
    label: r.type === "doi" ? "DOI" : "PMID",
    id: r.id,
    url: r.type === "doi" ? doiUrl(r.id) : pubmedUrl(r.id),
  }));
}
export type ReferenceItem = ReturnType<typeof referenceList>[number];
