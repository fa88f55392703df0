// The contract of the account forms.
import { z } from "zod";
import { checkbox, email, pseudonym, refuseWeakPassword } from "../auth/schemas.ts";
import { optionalText } from "../lib/text.ts";

export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Enter your current password." })
      .min(1, "Enter your current password.")
      .max(200, "Password must be at most 200 characters."),
    newPassword: z
      .string({ error: "Choose a new password." })
      .min(1, "Choose a new password.")
      .min(10, "Use at least 10 characters for your new password.")
      .max(200, "Password must be at most 200 characters."),
  })
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one.",
  })
  .superRefine(refuseWeakPassword("newPassword"));

const currentPassword = z
  .string({ error: "Enter your password to confirm." })
  .min(1, "Enter your password to confirm.")
  .max(200, "Password must be at most 200 characters.");

/** Turning two-factor sign-in off. */
export const disableTwoFactorSchema = z.object({ password: currentPassword });

/** "Confirm it's you": the password, or a code when two-factor is on. */
export const reauthSchema = z
  .object({
    password: z.string().max(200, "Password must be at most 200 characters.").optional(),
    code: z.string().max(20, "Enter the 6 digits from your app, or one of your recovery codes.").optional(),
    next: z.string().optional(),
  })
  .refine((v) => !!v.password || !!v.code, { path: ["password"], message: "Enter your password, or a code from your app." });

export const deleteAccountSchema = z.object({
  password: z
    .string({ error: "Enter your password to confirm." })
    .min(1, "Enter your password to confirm.")
    .max(200, "Password must be at most 200 characters."),
  confirm: z.literal("delete", { error: "Tick the box to confirm that you want to delete your account." }),
});

export const pseudonymSchema = z.object({ pseudonym, keepPseudonym: checkbox });

export const emailSchema = z.object({
  email,
  password: z
    .string({ error: "Enter your password to confirm." })
    .min(1, "Enter your password to confirm.")
    .max(200, "Password must be at most 200 characters."),
});

export const sessionParams = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, "Not a session.") });

/** A physician's mail about new questions: which categories, and how often. */
export const mailPreferencesSchema = z.object({
  questionMail: z.enum(["IMMEDIATE", "DAILY", "OFF"], { error: "Choose how often to get mail about new questions." }),
  categoryIds: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((v) => v.length <= 50 && v.every((id) => /^\d{1,9}$/.test(id)), "Choose categories from the list.")
    .transform((v) => [...new Set(v.map(Number))]),
});

export const BIO_MAX = 2_000;
export const DISCLOSURES_MAX = 1_000;

/** What a physician's public profile says about them, in their own words. */
export const publicProfileSchema = z.object({
  bio: optionalText("About you", BIO_MAX),
  disclosures: optionalText("Conflicts of interest", DISCLOSURES_MAX),
});
