// The contract of /search: a query, filters and a page, all optional; bad values get a message, not a 500.
import { z } from "zod";

export const SEARCH_MAX = 200;

export const searchQuery = z.object({
  q: z.string().max(2_000).optional().default(""),
  category: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/, "Choose a category from the list.")
    .optional()
    .or(z.literal("")),
  answered: z.enum(["", "yes", "no"], { error: "Choose answered, unanswered or either." }).optional(),
  physician: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/, "Choose a physician from the list.")
    .optional()
    .or(z.literal("")),
  page: z.coerce
    .number({ error: "Page must be a number." })
    .int("Page must be a whole number.")
    .min(1, "Page must be 1 or more.")
    .max(500, "Page is too large.")
    .optional(),
});

export type SearchInput = z.output<typeof searchQuery>;
