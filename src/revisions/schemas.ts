// The contract of a moderator's redaction.
import { z } from "zod";
import { idParam, optionalText, requiredText, titleText } from "../lib/text.ts";
import { NOTE_MAX } from "../moderation/schemas.ts";
import { BODY_MAX, REPLY_MAX, TITLE_MAX } from "../threads/schemas.ts";

export const redactParams = z.object({ kind: z.enum(["threads", "replies", "edits"]), id: idParam });
export const historyParams = z.object({ kind: z.enum(["threads", "replies"]), id: idParam });

export const redactSchema = (isThread: boolean) =>
  z.object({
    title: isThread ? titleText("Title", TITLE_MAX) : z.string().optional(),
    body: requiredText("Text", isThread ? BODY_MAX : REPLY_MAX),
    note: optionalText("Note", NOTE_MAX).refine((v) => v.trim() !== "", "Say what you changed and why (not the removed words)."),
  });
