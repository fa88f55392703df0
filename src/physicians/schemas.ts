// The contract of the physicians' pages.
import { z } from "zod";
import { pageQuery } from "../lib/text.ts";

export const listQuery = z.object({ specialty: z.string().max(120).optional() });
export const handleParams = z.object({ handle: z.string().regex(/^[a-z0-9-]{1,80}$/) });
export const profileQuery = z.object({ page: pageQuery });
