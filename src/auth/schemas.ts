// The contract of the sign-up and sign-in forms.
import { z } from "zod";
import { weakPasswordReason } from "../lib/password-strength.ts";
import { requiredText, withoutInvisible } from "../lib/text.ts";
import { PSEUDONYM_TITLE, refusePseudonym } from "../safety/pseudonym.ts";

export const SPECIALTIES = [
  "Reproductive endocrinology and infertility",
  "Reproductive immunology",
  "Obstetrics and gynaecology",
  "Maternal-fetal medicine",
  "Rheumatology",
  "Haematology",
  "Psychiatry",
  "General practice",
] as const;

export const email = z
  .string({ error: "Email is required." })
  .trim()
  .min(1, "Email is required.")
  .max(254, "Email must be at most 254 characters.")
  .pipe(z.email({ error: "Enter an email address like name@example.com." }))
  .transform((v) => v.toLowerCase());

export const password = z
  .string({ error: "Password is required." })
  .min(1, "Password is required.")
  .min(10, "Use at least 10 characters for your password.")
  .max(200, "Password must be at most 200 characters.");

/** Refuses a guessable password on `field`, naming why (the person's own email and name count against it). */
export function refuseWeakPassword(field: string, related: (form: Record<string, unknown>) => unknown[] = () => []) {
  return (form: Record<string, unknown>, ctx: z.core.$RefinementCtx) => {
    const value = form[field];
    if (typeof value !== "string" || value.length < 10) return;
    const reason = weakPasswordReason(
      value,
      related(form).filter((r): r is string => typeof r === "string"),
    );
    if (reason) ctx.addIssue({ code: "custom", path: [field], message: `Choose a stronger password. ${reason}` });
  };
}

/** The version of the privacy notice people agree to at sign-up; change it when the notice changes. */
export const PRIVACY_NOTICE_VERSION = "2026-12-02";

/** A question written before joining, carried through the sign-up form. Invalid or partial drafts are dropped. */
export const heldDraftSchema = z.object({
  title: z.string().trim().min(10).max(200),
  body: z.string().trim().min(20).max(10_000),
  categoryId: z.coerce.number().int().positive().max(2_147_483_647),
  to: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/)
    .nullable()
    .optional(),
});
export type HeldDraft = z.output<typeof heldDraftSchema>;

// Letters of any script, digits, spaces and . _ - ' ; 2 to 40 characters.
const PSEUDONYM = /^[\p{L}\p{N}][\p{L}\p{N} ._'-]*$/u;

export const pseudonym = z.preprocess(
  // Invisible and direction characters go, unless the name as it displays is a title: a right-to-left override
  // makes "\u202EnimdA" read "Admin", and stripping it would leave an innocent "nimdA". Such a name keeps its
  // characters, so the rules below refuse it.
  (v) => (typeof v === "string" && refusePseudonym(v) === null ? withoutInvisible(v) : v),
  z
    .string({ error: "Pseudonym is required." })
    .refine((v) => v.trim().length > 0, "Pseudonym is required.")
    .refine((v) => v.trim().length >= 2, "Use at least 2 characters for your pseudonym.")
    .refine((v) => v.length <= 40, "Pseudonym must be at most 40 characters.")
    .refine((v) => PSEUDONYM.test(v.trim()), "Use letters, digits, spaces and . _ - ' only, starting with a letter or digit.")
    // Titles, after folding look-alike letters and removing invisible characters; physicians' names are the
    // services' to check (they need the database).
    .refine((v) => refusePseudonym(v) === null, PSEUDONYM_TITLE)
    .refine((v) => !/^former member$/i.test(v.trim()), "That name is reserved.")
    .transform((v) => v.trim()),
);

export const checkbox = z
  .union([z.literal("on"), z.literal("yes"), z.literal("true"), z.literal("")])
  .optional()
  .transform((v) => v !== undefined && v !== "");

export const signUpSchema = z
  .object({
    email,
    password,
    pseudonym,
    /** Ticked after the warning that the pseudonym looks like a real full name. */
    keepPseudonym: checkbox,
    isPhysician: checkbox,
    fullName: z.string().optional(),
    credentials: z.string().optional(),
    specialty: z.string().optional(),
    licenseNumber: z.string().optional(),
    jurisdiction: z.string().optional(),
    consent: z.literal("yes", {
      error: "Tick the box to agree that Curbside keeps what you post about your health. Without it we can't make your account.",
    }),
    next: z.string().optional(),
    draftTitle: z.string().optional(),
    draftBody: z.string().optional(),
    draftCategoryId: z.string().optional(),
    draftTo: z.string().optional(),
  })
  .superRefine(refuseWeakPassword("password", (form) => [form.email, form.pseudonym]))
  .superRefine((form, ctx) => {
    if (!form.isPhysician) return;
    const fields: [keyof typeof form, string, number][] = [
      ["fullName", "Full name", 120],
      ["credentials", "Credentials", 60],
      ["licenseNumber", "Licence number", 60],
      ["jurisdiction", "Licensing jurisdiction", 120],
    ];
    for (const [key, label, max] of fields) {
      const result = requiredText(label, max).safeParse(form[key] ?? "");
      if (!result.success)
        ctx.addIssue({ code: "custom", path: [key], message: result.error.issues[0]?.message ?? `${label} is required.` });
    }
    if (!SPECIALTIES.includes((form.specialty ?? "") as (typeof SPECIALTIES)[number])) {
      ctx.addIssue({ code: "custom", path: ["specialty"], message: "Choose your specialty from the list." });
    }
  });

export type SignUpInput = z.output<typeof signUpSchema>;

export const logInSchema = z.object({
  email: z
    .string({ error: "Email is required." })
    .trim()
    .min(1, "Email is required.")
    .max(254, "Email must be at most 254 characters.")
    .transform((v) => v.toLowerCase()),
  password: z
    .string({ error: "Password is required." })
    .min(1, "Password is required.")
    .max(200, "Password must be at most 200 characters."),
  next: z.string().optional(),
});

export const forgotSchema = z.object({ email });

export const resetSchema = z
  .object({
    token: z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9_-]+$/, "This link is not valid."),
    password,
  })
  .superRefine(refuseWeakPassword("password"));

export const tokenSchema = z.object({
  token: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, "This link is not valid."),
});

/** A six-digit code from the authenticator app, or a recovery code (xxxxx-xxxxx). */
export const codeSchema = z.object({
  code: z
    .string({ error: "Enter the code from your authenticator app." })
    .transform((v) => v.replace(/[\s]/g, "").toLowerCase())
    .pipe(
      z
        .string()
        .min(1, "Enter the code from your authenticator app.")
        .regex(/^(\d{6}|[a-z0-9]{5}-?[a-z0-9]{5})$/, "Enter the 6 digits from your app, or one of your recovery codes."),
    ),
});
