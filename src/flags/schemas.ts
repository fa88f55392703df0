// The contract of reporting a post.
import { z } from "zod";
import { optionalText } from "../lib/text.ts";

export const FLAG_REASONS = {
  MISINFORMATION: "Medical misinformation",
  PERSONAL_INFORMATION: "Personal information",
  SPAM: "Spam",
  ABUSE: "Abuse",
  EMERGENCY: "Someone may be in danger (emergency)",
  OTHER: "Something else",
} as const;

export type FlagReasonKey = keyof typeof FLAG_REASONS;

export const flagSchema = z
  .object({
    reason: z.enum(Object.keys(FLAG_REASONS) as [FlagReasonKey, ...FlagReasonKey[]], { error: "Choose a reason." }),
    note: optionalText("Note", 1_000),
  })
  .superRefine((form, ctx) => {
    if (form.reason === "OTHER" && form.note.trim() === "") {
      ctx.addIssue({ code: "custom", path: ["note"], message: "Tell the moderators what is wrong." });
    }
  });
