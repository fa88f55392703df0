// What the sign-up and sign-in templates see.
import type { FieldErrors } from "../lib/errors.ts";
import type { FormValues } from "../lib/forms.ts";
import { safeRedirectPath } from "../lib/redirect.ts";
import { PSEUDONYM_LOOKS_REAL } from "../safety/pseudonym-check.ts";
import { SPECIALTIES } from "./schemas.ts";

const DRAFT_FIELDS = ["draftTitle", "draftBody", "draftCategoryId", "draftTo"] as const;

/** A link that keeps where the person was going, or the bare path when that is the home page. */
const withNext = (path: string, next: string) => (next === "/" ? path : `${path}?next=${encodeURIComponent(next)}`);

/** The sign-up form, with the person's text kept, and a question they were writing carried along. */
export function signUpPage(values: FormValues, errors: FieldErrors = {}) {
  const hasDraft = !!(values.draftTitle || values.draftBody);
  return {
    values: { ...values, next: values.next ? safeRedirectPath(values.next) : "" },
    errors,
    hasErrors: Object.keys(errors).length > 0,
    specialties: SPECIALTIES.map((name) => ({ name, selected: values.specialty === name })),
    physicianChecked: values.isPhysician === "on",
    consentChecked: values.consent === "yes",
    offerKeepPseudonym: errors.pseudonym === PSEUDONYM_LOOKS_REAL,
    draft: hasDraft ? Object.fromEntries(DRAFT_FIELDS.map((k) => [k, values[k] ?? ""])) : null,
    signInUrl: withNext("/login", values.next ? safeRedirectPath(values.next) : "/"),
  };
}

/** The held question's fields from the ask form, as the sign-up form carries them. */
export const draftValues = (ask: { title: string; body: string; categoryId: number; to?: string | null }): FormValues => ({
  draftTitle: ask.title,
  draftBody: ask.body,
  draftCategoryId: String(ask.categoryId),
  draftTo: ask.to ?? "",
});

/** The page everyone sees after signing up, whatever the address: only what they typed differs. */
export const checkEmailPage = (values: FormValues) => ({
  email: values.email ?? "",
  signUpUrl: withNext("/signup", values.next ? safeRedirectPath(values.next) : "/"),
  draftHeld: !!(values.draftTitle || values.draftBody),
});

/** Why the sign-in page was shown, from where the person was going: "Sign in to ask your question." */
const REASONS: [RegExp, string][] = [
  [/^\/ask(?:[?#]|$)/, "Sign in to ask your question."],
  [/^\/(?:t|replies)\/\d+\/report(?:[?#]|$)/, "Sign in to report a post."],
  [/^\/t\/\d+/, "Sign in to reply."],
  [/^\/articles\/(?:new|\d+\/edit)(?:[?#]|$)/, "Sign in to write your article."],
  [/^\/moderation(?:[/?#]|$)/, "Sign in to moderate."],
  [/^\/inbox(?:[?#]|$)/, "Sign in to see the questions waiting for you."],
  [/^\/notifications(?:[?#]|$)/, "Sign in to see your notifications."],
  [/^\/account(?:[/?#]|$)/, "Sign in to see your account."],
  [/^\/admin(?:[/?#]|$)/, "Sign in to manage the site."],
];

export function signInReason(next: string): string | null {
  if (next === "/") return null;
  return REASONS.find(([pattern]) => pattern.test(next))?.[1] ?? "Sign in to continue.";
}

/** The sign-in form: why it is shown, and a "Join" link that keeps where the person was going. */
export function signInPage(values: FormValues, errors: FieldErrors = {}) {
  const next = safeRedirectPath(values.next);
  return {
    values: { email: values.email ?? "", next },
    errors,
    hasErrors: Object.keys(errors).length > 0,
    reason: signInReason(next),
    signUpUrl: withNext("/signup", next),
  };
}
