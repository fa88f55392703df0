// What the sign-up and sign-in templates see.
import type { FieldErrors } from "../lib/errors.ts";
import type { FormValues } from "../lib/forms.ts";
import { safeRedirectPath } from "../lib/redirect.ts";
import { PSEUDONYM_LOOKS_REAL } from "../safety/pseudonym-check.ts";
import { SPECIALTIES } from "./schemas.ts";

const DRAFT_FIELDS = ["draftTitle", "draftBody", "draftCategoryId", "draftTo"] as const;

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
  draftHeld: !!(values.draftTitle || values.draftBody),
});
