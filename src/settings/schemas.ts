// The contract of the admin settings form. Lists are typed one entry per line.
import { z } from "zod";

export const DEFAULT_REJECTION_REASONS = [
  "Contains identifying details",
  "Medical misinformation",
  "Off-topic for Curbside",
  "Not respectful",
  "Spam or advertising",
  "Duplicate of another question",
];

const whole = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${label}: give a number.` })
    .int(`${label}: give a whole number.`)
    .min(min, `${label}: at least ${min}.`)
    .max(max, `${label}: at most ${max}.`);

function lines(label: string, options: { maxItems: number; maxLength: number; minItems?: number }) {
  return z
    .string()
    .optional()
    .default("")
    .transform((text) => [
      ...new Set(
        text
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line !== ""),
      ),
    ])
    .superRefine((items, ctx) => {
      if (items.length < (options.minItems ?? 0)) ctx.addIssue({ code: "custom", message: `${label}: give at least ${options.minItems}.` });
      if (items.length > options.maxItems) ctx.addIssue({ code: "custom", message: `${label}: at most ${options.maxItems} lines.` });
      const long = items.find((item) => item.length > options.maxLength);
      if (long)
        ctx.addIssue({ code: "custom", message: `${label}: "${long.slice(0, 40)}…" is longer than ${options.maxLength} characters.` });
      const control = items.find((item) => /[\u0000-\u001F\u007F]/.test(item));
      if (control !== undefined) ctx.addIssue({ code: "custom", message: `${label}: some lines contain characters that can't be stored.` });
    });
}

export const settingsSchema = z
  .object({
    holdMode: z.enum(["all", "trusted"], { error: "Choose how patient posts are held." }),
    trustAfterApproved: z.union([z.literal(""), whole("Approved posts", 1, 100)]).optional(),
    holdLinksAt: whole("Links", 1, 50),
    watchedHold: lines("Words that hold a post", { maxItems: 200, maxLength: 60 }),
    watchedBlock: lines("Words that block a post", { maxItems: 200, maxLength: 60 }),
    newAccountQuestions: whole("Questions on the first day", 1, 100),
    newAccountReplies: whole("Replies on the first day", 1, 500),
    questionsPerHour: whole("Questions per hour", 1, 100),
    repliesPerHour: whole("Replies per hour", 1, 500),
    rejectionReasons: lines("Rejection reasons", { maxItems: 20, maxLength: 100, minItems: 1 }),
    flagThreshold: whole("Reports", 1, 20),
    flagAction: z.enum(["ESCALATE", "HIDE"], { error: "Choose what reports do." }),
    // A form from before this field existed keeps the default; an empty box is an error, not a silent 0.
    verificationGraceDays: z.preprocess(
      (v) => (v === undefined ? 30 : typeof v === "string" && v.trim() === "" ? Number.NaN : v),
      whole("Grace period", 0, 365),
    ),
  })
  .superRefine((form, ctx) => {
    if (form.holdMode === "trusted" && (form.trustAfterApproved === undefined || form.trustAfterApproved === "")) {
      ctx.addIssue({ code: "custom", path: ["trustAfterApproved"], message: "Say after how many approved posts an author is trusted." });
    }
    const both = form.watchedHold.filter((w) => form.watchedBlock.some((b) => b.toLowerCase() === w.toLowerCase()));
    if (both.length > 0)
      ctx.addIssue({ code: "custom", path: ["watchedBlock"], message: `"${both[0]}" is in both lists. Keep it in one.` });
  });

export type SettingsInput = z.output<typeof settingsSchema>;

/** Whether moderators and admins must sign in with a second factor. */
export const staffTwoFactorSchema = z.object({
  staffTwoFactor: z.enum(["required", "optional"], { error: "Choose whether staff must use two-factor sign-in." }),
});
