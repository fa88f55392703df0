// The contract of moderator decisions.
import { z } from "zod";
import { idParam, optionalText } from "../lib/text.ts";

export const REJECTION_REASONS = [
  "Contains identifying details",
  "Medical misinformation",
  "Off-topic for Curbside",
  "Not respectful",
  "Spam or advertising",
  "Duplicate of another question",
  "Other",
] as const;

export const APPLICATION_REJECTION_REASONS = [
  "Licence could not be found in the registry",
  "Details don't match the registry",
  "Not a physician",
  "Other",
] as const;

export const NOTE_MAX = 1_000;

export const itemParams = z.object({
  kind: z.enum(["threads", "replies", "applications"]),
  id: idParam,
});

export function rejectSchema(reasons: readonly string[]) {
  return z
    .object({
      reason: z.string({ error: "Choose a reason." }).refine((v) => reasons.includes(v), "Choose a reason from the list."),
      note: optionalText("Note", NOTE_MAX),
    })
    .superRefine((form, ctx) => {
      if (form.reason === "Other" && form.note.trim() === "") {
        ctx.addIssue({ code: "custom", path: ["note"], message: "Say what the problem is: the author will read this." });
      }
    });
}

export const approveSchema = z.object({});
