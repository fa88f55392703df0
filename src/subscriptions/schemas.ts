// The contract of following a thread by mail and of the one-click unsubscribe link.
import { z } from "zod";

export const followSchema = z.object({ follow: z.enum(["on", "off"], { error: "Choose whether to get email." }) });

export const unsubscribeQuery = z.object({
  u: z.uuid({ error: "This unsubscribe link is incomplete." }),
  t: z.coerce.number({ error: "This unsubscribe link is incomplete." }).int().positive().max(2_147_483_647),
  s: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This unsubscribe link is incomplete."),
});
