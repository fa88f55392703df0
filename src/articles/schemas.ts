// The contract of writing an article and of the article list.
import { z } from "zod";
import { pageQuery, requiredText, submissionKey, titleText } from "../lib/text.ts";
import { referencesField } from "../references/references.ts";
import { BODY_MAX, TITLE_MAX } from "../threads/schemas.ts";

export const ARTICLE_BODY_MAX = 40_000;
export const TAGS_MAX = 6;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} '-]{1,31}$/u;

/** "NK cells, HLA" → ["nk cells", "hla"]: lower-case, spaces collapsed, duplicates dropped. */
export function normaliseTag(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, " ");
}

export const tagsField = z
  .string()
  .max(600, "Tags must be at most 600 characters.")
  .optional()
  .default("")
  .transform((value, ctx) => {
    const tags: string[] = [];
    for (const raw of value.split(",")) {
      const tag = normaliseTag(raw);
      if (tag === "") continue;
      if (!TAG.test(tag)) {
        const shown = tag.length > 40 ? `${tag.slice(0, 40)}…` : tag;
        ctx.addIssue({
          code: "custom",
          message: `The tag “${shown}” can't be used: a tag is 2 to 32 letters, digits, spaces or hyphens. Separate tags with commas.`,
        });
        return z.NEVER;
      }
      if (!tags.includes(tag)) tags.push(tag);
    }
    if (tags.length > TAGS_MAX) {
      ctx.addIssue({ code: "custom", message: `Use at most ${TAGS_MAX} tags.` });
      return z.NEVER;
    }
    return tags;
  });

export const articleSchema = z.object({
  title: titleText("Title", TITLE_MAX, 10),
  body: requiredText("The article", ARTICLE_BODY_MAX, 200),
  categoryId: z.coerce
    .number({ error: "Choose a category." })
    .int("Choose a category.")
    .positive("Choose a category.")
    .max(2_147_483_647, "Choose a category."),
  tags: tagsField,
  references: referencesField,
  _submission: submissionKey,
});
export type ArticleInput = z.output<typeof articleSchema>;

export const articleListQuery = z.object({
  tag: z
    .string()
    .max(40)
    .optional()
    .transform((v) => (v ? normaliseTag(v) : null))
    .refine((v) => v === null || TAG.test(v), "Not a tag."),
  page: pageQuery,
});

// A question's limits, for the article form's shared fields.
export { BODY_MAX, TITLE_MAX };
