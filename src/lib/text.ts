// Shared zod building blocks for text that people type. Text is stored exactly as typed; rules only look at it.
import { z } from "zod";
import { randomString } from "./random.ts";

// Control characters other than tab, newline and carriage return have no place in a post.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function requiredText(label: string, max: number, min = 1) {
  return z
    .string({ error: `${label} is required.` })
    .refine((v) => v.trim().length > 0, { message: `${label} is required.` })
    .refine((v) => v.trim().length === 0 || v.trim().length >= min, { message: `${label} needs at least ${min} characters.` })
    .refine((v) => v.length <= max, { message: `${label} must be at most ${max.toLocaleString("en")} characters.` })
    .refine((v) => !CONTROL.test(v), { message: `${label} contains characters that can't be stored.` });
}

// Invisible format characters (Unicode Cf, and the line and paragraph separators): bidirectional controls
// (U+202A-202E, U+2066-2069, U+200E/F, U+061C) make a title or a name read in another order than it is stored,
// and zero-width ones hide text. ZWNJ and ZWJ stay: Persian, Indic scripts and emoji sequences need them.
const INVISIBLE_FORMAT = /(?![\u200C\u200D])[\p{Cf}\u2028\u2029]/gu;

/** The text without invisible format characters, for one-line names and titles. */
export const withoutInvisible = (text: string) => text.replace(INVISIBLE_FORMAT, "");

/** A one-line title: invisible format characters are taken out, then the rules of `requiredText` apply. */
export function titleText(label: string, max: number, min = 1) {
  return z.preprocess((v) => (typeof v === "string" ? withoutInvisible(v) : v), requiredText(label, max, min));
}

export function optionalText(label: string, max: number) {
  return z
    .string()
    .optional()
    .default("")
    .refine((v) => v.length <= max, { message: `${label} must be at most ${max.toLocaleString("en")} characters.` })
    .refine((v) => !CONTROL.test(v), { message: `${label} contains characters that can't be stored.` });
}

/** A positive database id given as text, e.g. from a hidden field or a URL. */
export const idParam = z.coerce
  .number({ error: "Not a valid id." })
  .int("Not a valid id.")
  .positive("Not a valid id.")
  .max(2_147_483_647, "Not a valid id.");

export const pageQuery = z.coerce
  .number({ error: "Page must be a number." })
  .int("Page must be a whole number.")
  .min(1, "Page must be 1 or more.")
  .max(100_000, "Page is too large.")
  .default(1);

/** The one-time id a form carries, so that submitting it twice creates one post. */
export const submissionKey = z
  .string()
  .optional()
  .transform((v) => (v && /^[A-Za-z0-9_-]{16,64}$/.test(v) ? v : null));

/** A new form's submission key: 18 random bytes, 24 characters of base64url. */
export const newSubmissionKey = () => randomString(18, "base64url");

/** An optional id from a hidden field: empty means none. */
export const optionalIdField = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === "") return null;
    const n = Number(value);
    if (!/^\d{1,10}$/.test(value) || n < 1 || n > 2_147_483_647) {
      ctx.addIssue({ code: "custom", message: "Not a valid id." });
      return z.NEVER;
    }
    return n;
  });
