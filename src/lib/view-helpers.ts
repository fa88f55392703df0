// Handlebars helpers, one per purpose. User text reaches HTML only through `{{ }}` (escaped) or `markdown`.
import type { HelperOptions } from "handlebars";
import { highlightSegments } from "../safety/review.ts";
import { renderMarkdown } from "./markdown.ts";
import { TaggedCache } from "./tagged-cache.ts";

type HB = typeof import("handlebars");

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * "21 November 2026", in UTC: what Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric" })
 * prints (a unit test holds them equal), written out by hand because a thread page prints dozens of dates and
 * Intl's formatting showed in its profile.
 */
export function formatDate(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "21 November 2026 at 14:03 UTC", as en-GB Intl formatting with 2-digit hour and minute and the zone's short name. */
export function formatDateTime(d: Date): string {
  return `${formatDate(d)} at ${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())} UTC`;
}

/** What a JSON-LD block writes instead of characters that could end the element or a line inside a string. */
const JSON_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

function asDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** Every helper registered below; templates are compiled knowing these and no others. */
export const HELPER_NAMES = [
  "markdown",
  "highlight",
  "jsonLd",
  "date",
  "dateTime",
  "iso",
  "time",
  "eq",
  "or",
  "plural",
  "fieldAria",
] as const;

const MARK_TITLES = {
  emergency: "Possible emergency",
  identifying: "Possibly identifying",
  possible: "Might identify someone: check",
} as const;

/** Moderators' highlighted texts, by names and text (see the "highlight" helper). */
const highlighted = new TaggedCache<{ html: string; tags: string[]; bytes: number }>(4 * 1024 * 1024);

export function registerHelpers(hb: HB): void {
  /** `{{markdown body headings=3}}`: the text's top headings are h3 there (h2 by default, under a page's h1). */
  hb.registerHelper("markdown", (source: unknown, options: HelperOptions) => {
    if (typeof source !== "string") throw new Error("markdown helper needs a string");
    const headings = options?.hash?.headings;
    if (headings !== undefined && (typeof headings !== "number" || headings < 2 || headings > 4)) {
      throw new Error("markdown helper's headings= is 2, 3 or 4");
    }
    return new hb.SafeString(renderMarkdown(source, headings));
  });
  /**
   * Plain text with emergency signs and identifying details marked, for moderators. Every part is escaped. An
   * optional second argument lists the verified physicians' full names, whom a post may name.
   */
  hb.registerHelper("highlight", (source: unknown, ...rest: unknown[]) => {
    if (typeof source !== "string") throw new Error("highlight helper needs a string");
    const names = rest.length > 1 && Array.isArray(rest[0]) ? rest[0].filter((n): n is string => typeof n === "string") : [];
    // The queue shows the same waiting posts at every reload, and the guard's rules cost about 0.3 ms a post:
    // each text's marks are kept (by text and names, so nothing stale can show), within 4 MB.
    const key = `${names.join("\u0000")}\u0001${source}`;
    const kept = highlighted.get(key);
    if (kept) return new hb.SafeString(kept.html);
    const html = `<p class="plain-text">${highlightSegments(source, { physicians: names })
      .map((s) =>
        s.kind === null
          ? hb.escapeExpression(s.text)
          : `<mark class="flag-${s.kind}" title="${MARK_TITLES[s.kind]}">${hb.escapeExpression(s.text)}</mark>`,
      )
      .join("")}</p>`;
    highlighted.set(key, { html, tags: [], bytes: 2 * (key.length + html.length) });
    return new hb.SafeString(html);
  });
  /**
   * schema.org data as a JSON-LD block. A data block, never run as script; "<", ">" and "&" are written as
   * \u escapes, so no text inside can close the element.
   */
  hb.registerHelper("jsonLd", (data: unknown) => {
    const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => JSON_ESCAPES[c] as string);
    return new hb.SafeString(`<script type="application/ld+json">${json}</script>`);
  });
  /** "21 November 2026" */
  hb.registerHelper("date", (value: unknown) => {
    const d = asDate(value);
    return d ? formatDate(d) : "";
  });
  /** "21 November 2026 at 14:03 UTC" */
  hb.registerHelper("dateTime", (value: unknown) => {
    const d = asDate(value);
    return d ? formatDateTime(d) : "";
  });
  /**
   * A moment as `<time datetime="…" data-local="datetime">21 November 2026 at 14:03 UTC</time>`, or with "date"
   * as `… data-local="date">21 November 2026</time>`. The page says UTC, the same for every reader (pages are
   * cached and shared); public/app.js rewrites the text in the reader's own time zone.
   */
  hb.registerHelper("time", (...args: unknown[]) => {
    const [value, style] = args.length > 2 ? args : [args[0], "datetime"];
    if (style !== "date" && style !== "datetime") throw new Error('time helper takes "date" or "datetime"');
    const d = asDate(value);
    if (!d) return "";
    const text = style === "date" ? formatDate(d) : formatDateTime(d);
    return new hb.SafeString(`<time datetime="${d.toISOString()}" data-local="${style}">${text}</time>`);
  });
  /** Machine-readable time for <time datetime>. */
  hb.registerHelper("iso", (value: unknown) => asDate(value)?.toISOString() ?? "");
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hb.registerHelper("or", (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper("plural", (count: unknown, singular: unknown, plural: unknown) => {
    if (typeof count !== "number" || typeof singular !== "string" || typeof plural !== "string") {
      throw new Error("plural helper needs (number, singular, plural)");
    }
    return `${count.toLocaleString("en")} ${count === 1 ? singular : plural}`;
  });
  /** Attributes that tie a field to its error message for screen readers. */
  hb.registerHelper("fieldAria", (errors: unknown, name: unknown, options: HelperOptions) => {
    if (typeof name !== "string") throw new Error("fieldAria helper needs a field name");
    const hint = typeof options.hash?.hint === "string" ? ` ${options.hash.hint}` : "";
    const hasError = !!errors && typeof errors === "object" && name in (errors as object);
    const describedBy = `${hasError ? `${name}-error` : ""}${hint}`.trim();
    return new hb.SafeString(
      `${hasError ? 'aria-invalid="true" ' : ""}${describedBy ? `aria-describedby="${hb.escapeExpression(describedBy)}"` : ""}`,
    );
  });
}
