// The contract of the set-password form and of the members page.
import { z } from "zod";
import { password, refuseWeakPassword } from "../auth/schemas.ts";

export const setPasswordSchema = z
  .object({ password, confirm: z.string({ error: "Type the password again." }) })
  .refine((form) => form.password === form.confirm, { path: ["confirm"], message: "The two passwords differ. Type the same one twice." })
  .superRefine(refuseWeakPassword("password"));

export const tokenParam = z.object({ token: z.string().max(100) });

export const ROLE_CHOICES = ["PATIENT", "MODERATOR", "ADMIN"] as const;

export const memberSearchQuery = z.object({
  // PostgreSQL text cannot hold NUL; other control characters are no part of a name or an address either.
  q: z
    .string()
    .transform((v) => v.replace(/\p{Cc}/gu, "").trim())
    .pipe(z.string().max(254))
    .optional()
    .catch(undefined),
  notice: z.string().max(40).optional().catch(undefined),
});

export const roleChangeSchema = z.object({
  role: z.enum(ROLE_CHOICES, { error: "Choose patient, moderator or admin." }),
  reason: z
    .string({ error: "Give a reason: it goes into the audit log." })
    .trim()
    .min(3, "Give a reason of at least 3 characters: it goes into the audit log.")
    .max(500, "Keep the reason to 500 characters."),
});
