// The contract of the answer buttons: each form says whether to set or clear its mark.
import { z } from "zod";
import { idParam } from "../lib/text.ts";

export const signalSchema = z.object({
  on: z.enum(["yes", "no"], { error: "Use the button on the answer to set or clear your mark." }),
});

export const signalParams = z.object({ id: idParam });
