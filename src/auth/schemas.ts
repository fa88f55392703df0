// The contract of the sign-up and sign-in forms.
import { z } from "zod";
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
  })
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
