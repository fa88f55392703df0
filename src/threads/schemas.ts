// The contract of asking, replying and editing.
import { z } from "zod";
import { idParam, optionalIdField, pageQuery, requiredText, submissionKey, titleText } from "../lib/text.ts";
import { referencesField } from "../references/references.ts";
import { reviewedField } from "../safety/review.ts";
import { CATEGORY_SORTS } from "./lists.ts";

export const TITLE_MAX = 200;
export const BODY_MAX = 10_000;
export const REPLY_MAX = 5_000;

export const askSchema = z.object({
  title: titleText("Title", TITLE_MAX, 10),
  body: requiredText("Your question", BODY_MAX, 20),
  _submission: submissionKey,
  _reviewed: reviewedField,
  categoryId: z.coerce
    .number({ error: "Choose a category." })
    .int("Choose a category.")
    .positive("Choose a category.")
    .max(2_147_483_647, "Choose a category."),
  /** "Ask Dr. X": the handle of the physician the question is addressed to, if any. */
  to: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return null;
      if (!/^[a-z0-9-]{1,80}$/.test(v)) {
        ctx.addIssue({ code: "custom", message: "Choose a physician from the list of physicians." });
        return z.NEVER;
      }
      return v;
    }),
});
export type AskInput = z.output<typeof askSchema>;

export const editThreadSchema = askSchema;

export const replySchema = z.object({
  body: requiredText("Your reply", REPLY_MAX, 2),
  references: referencesField,
  parentId: optionalIdField,
  _submission: submissionKey,
  _reviewed: reviewedField,
});
export type ReplyInput = z.output<typeof replySchema>;

export const editReplySchema = z.object({
  body: requiredText("Your reply", REPLY_MAX, 2),
  references: referencesField,
  _reviewed: reviewedField,
});
export type EditReplyInput = z.output<typeof editReplySchema>;

export const threadParams = z.object({ id: idParam, slug: z.string().max(200).optional() });
export const threadQuery = z.object({ page: pageQuery, replyto: z.union([z.literal(""), idParam]).optional() });
export const categoryParams = z.object({
  slug: z
    .string()
    .min(1)
    .max(80)
    .regex(/^[a-z0-9-]+$/),
});
export const pageOnlyQuery = z.object({ page: pageQuery });
/** A browsing list's page: a bad one is a clear 400, as on every other list. */
export const listQuery = z.object({ page: pageQuery });
/** A category's order and page; an unknown order is the default one, a bad page a clear 400. */
export const categoryQuery = z.object({ sort: z.enum(CATEGORY_SORTS).catch("activity"), page: pageQuery });
export const idParams = z.object({ id: idParam });

export const withdrawSchema = z.object({
  confirm: z.literal("withdraw", { error: "Tick the box to confirm that you want to withdraw your question." }),
});
