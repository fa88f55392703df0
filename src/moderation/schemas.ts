// The contract of moderator decisions.
import { z } from "zod";
import { idParam, optionalText, requiredText as requiredTextField } from "../lib/text.ts";

export const APPLICATION_REJECTION_REASONS = [
  "Licence could not be found in the registry",
  "Details don't match the registry",
  "Not a physician",
  "Other",
] as const;

export const NOTE_MAX = 1_000;

export const itemParams = z.object({
  kind: z.enum(["threads", "replies", "applications", "edits"]),
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

const day = z.iso.date({ error: "Use a date like 2026-11-21." });

export const auditQuery = z.object({
  actor: z.union([z.literal(""), z.uuid({ error: "Choose a moderator from the list." })]).optional(),
  action: z.string().max(40).optional(),
  from: z.union([z.literal(""), day]).optional(),
  to: z.union([z.literal(""), day]).optional(),
  before: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
  notice: z.literal("reversed").optional(),
});

export const QUEUE_VIEWS = ["all", "reports", "questions", "replies", "edits", "applications"] as const;

export const queueQuery = z.object({
  notice: z.string().max(20).optional(),
  show: z.enum(QUEUE_VIEWS).optional().default("all"),
});

const ITEM = /^(threads|replies)-(\d{1,10})$/;

/** Many questions and replies at once: approve them, or reject them all with one reason from `reasons`. */
export const bulkSchema = (reasons: readonly string[]) =>
  z
    .object({
      items: z
        .union([z.string(), z.array(z.string())], { error: "Select at least one item." })
        .transform((v) => (Array.isArray(v) ? v : [v]))
        .refine((v) => v.length > 0, "Select at least one item.")
        .refine((v) => v.length <= 200, "Select at most 200 items at once.")
        .refine((v) => v.every((item) => ITEM.test(item)), "Some selected items are not questions or replies.")
        .transform((v) =>
          [...new Set(v)].map((item) => {
            const [, kind, id] = item.match(ITEM) as RegExpMatchArray;
            return { kind: kind as "threads" | "replies", id: Number(id) };
          }),
        ),
      decision: z.enum(["approve", "reject"], { error: "Choose approve or reject." }),
      reason: z.string().optional().default(""),
      note: optionalText("Note", NOTE_MAX),
    })
    .superRefine((form, ctx) => {
      if (form.decision !== "reject") return;
      if (!reasons.includes(form.reason)) ctx.addIssue({ code: "custom", path: ["reason"], message: "Choose a reason for rejecting." });
      else if (form.reason === "Other" && form.note.trim() === "")
        ctx.addIssue({ code: "custom", path: ["note"], message: "Say what the problem is: the authors will read this." });
    });

export const requestChangesSchema = z.object({
  note: optionalText("Note", NOTE_MAX).refine((v) => v.trim() !== "", "Tell the author what to change."),
});

export const reverseSchema = z.object({
  note: optionalText("Reason", NOTE_MAX).refine((v) => v.trim() !== "", "Say why you are reversing this decision."),
});

export const userParams = z.object({ id: z.uuid({ error: "Not a member." }) });

export const restrictSchema = z
  .object({
    action: z.enum(["suspend", "silence", "lift"], { error: "Choose what to do." }),
    days: z.coerce
      .number({ error: "Give a number of days." })
      .int("Give a whole number of days.")
      .min(1, "At least 1 day.")
      .max(365, "At most 365 days."),
    message: optionalText("Message", NOTE_MAX),
  })
  .superRefine((form, ctx) => {
    if (form.action !== "lift" && form.message.trim() === "") {
      ctx.addIssue({ code: "custom", path: ["message"], message: "Tell the member why: they will see this message." });
    }
  });

const isoDay = (label: string) => z.iso.date({ error: `${label}: use a date like 2026-11-21.` });
const today = () => new Date().toISOString().slice(0, 10);

/** How a moderator checked a physician's licence before verifying: the badge's provenance. */
export const verifySchema = z
  .object({
    registryName: requiredTextField("Registry", 120),
    registryReference: requiredTextField("Registry reference", 120),
    checkedOn: isoDay("Checked on"),
    reverifyBy: isoDay("Check again by"),
  })
  .superRefine((form, ctx) => {
    if (form.checkedOn > today())
      ctx.addIssue({ code: "custom", path: ["checkedOn"], message: "Checked on: the check can't be in the future." });
    if (form.reverifyBy <= today())
      ctx.addIssue({ code: "custom", path: ["reverifyBy"], message: "Check again by: choose a day after today." });
    const fiveYears = `${Number(today().slice(0, 4)) + 5}${today().slice(4)}`;
    if (form.reverifyBy > fiveYears)
      ctx.addIssue({ code: "custom", path: ["reverifyBy"], message: "Check again by: at most five years from now." });
  });
export type VerifyInput = z.output<typeof verifySchema>;

/** A licence check as the profile stores it: verifying and re-checking record the same four fields. */
export const provenanceColumns = (p: VerifyInput) => ({
  registryName: p.registryName,
  registryReference: p.registryReference,
  checkedOn: new Date(`${p.checkedOn}T00:00:00Z`),
  reverifyBy: new Date(`${p.reverifyBy}T00:00:00Z`),
});

/** The same check in the moderation log's words. */
export const provenanceNote = (p: VerifyInput) =>
  `${p.registryName}, reference ${p.registryReference}, checked ${p.checkedOn}; check again by ${p.reverifyBy}`;

export const revokeSchema = z.object({
  reason: optionalText("Reason", NOTE_MAX).refine((v) => v.trim() !== "", "Say why the verification is revoked."),
});
