// The contract of following a thread by mail and of the unsubscribe link in every mail.
import { z } from "zod";
import type { MailList } from "../mail/tokens.ts";

export const followSchema = z.object({ follow: z.enum(["on", "off"], { error: "Choose whether to get email." }) });

const incomplete = "This unsubscribe link is incomplete.";

/** `u` (who), `t` (a thread) or `l=questions` (a physician's question mail), and `s` (the signature). */
export const unsubscribeQuery = z
  .object({
    u: z.uuid({ error: incomplete }),
    t: z.coerce.number({ error: incomplete }).int().positive().max(2_147_483_647).optional(),
    l: z.literal("questions", { error: incomplete }).optional(),
    s: z.string().regex(/^[A-Za-z0-9_-]{43}$/, incomplete),
  })
  .refine((q) => (q.t === undefined) !== (q.l === undefined), incomplete)
  .transform((q) => ({ userId: q.u, list: (q.l ?? { thread: q.t as number }) as MailList, signature: q.s }));
