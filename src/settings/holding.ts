// The holding rules applied to a new post or an edit: blocked words refuse it (the text is kept), first-day
// limits slow new accounts, and the rest decide whether it is published at once or waits for a moderator.
import { can, isSilenced } from "../auth/permissions.ts";
import { isStaff, type Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { FieldErrors } from "../lib/errors.ts";
import { countLinks, findWatched, loadSettings, NEW_ACCOUNT_MS, type Settings } from "./service.ts";

/** A new question, a new reply, or an edit of a post (edits are not counted against first-day limits). */
export type PostKind = "question" | "reply" | "edit";

export interface Verdict {
  /** Set when the post can't be sent as it is; the form comes back with these and the text. */
  refused?: { errors: FieldErrors; status: number };
  /** Published without review. */
  publish: boolean;
}

/** Words from the block list, as a field error on the field that has them. */
export function blockedWords(settings: Settings, fields: Record<string, string>): FieldErrors | null {
  for (const [name, text] of Object.entries(fields)) {
    const found = findWatched(text, settings.watchedBlock);
    if (found.length > 0) {
      const list = found.map((w) => `"${w}"`).join(", ");
      return {
        [name]: `This contains ${list}, which can't be posted on Curbside. Take ${found.length === 1 ? "it" : "them"} out and send again; your text is kept below.`,
      };
    }
  }
  return null;
}

/** Whether a post by this viewer waits for review under the current settings. */
export async function decide(
  db: Database,
  viewer: NonNullable<Viewer>,
  kind: PostKind,
  fields: Record<string, string>,
  urgent: boolean,
): Promise<Verdict> {
  const settings = await loadSettings(db);
  const blocked = blockedWords(settings, fields);
  if (blocked) return { refused: { errors: blocked, status: 400 }, publish: false };
  if (isStaff(viewer)) return { publish: !isSilenced(viewer) };

  // Edits are not counted against first-day limits, so they need no account age.
  const since =
    kind === "edit"
      ? null
      : ((await db.user.findUnique({ where: { id: viewer.id }, select: { createdAt: true } }))?.createdAt ?? new Date(0));
  if (since && Date.now() - since.getTime() < NEW_ACCOUNT_MS) {
    const limit = kind === "question" ? settings.newAccountQuestions : settings.newAccountReplies;
    const sent =
      kind === "question"
        ? await db.thread.count({ where: { authorId: viewer.id, kind: "QUESTION", createdAt: { gte: since } } })
        : await db.reply.count({ where: { authorId: viewer.id, createdAt: { gte: since } } });
    if (sent >= limit) {
      const again = new Date(since.getTime() + NEW_ACCOUNT_MS).toISOString().slice(11, 16);
      const what = kind === "question" ? `${limit} question${limit === 1 ? "" : "s"}` : `${limit} repl${limit === 1 ? "y" : "ies"}`;
      return {
        refused: {
          errors: {
            _form: `New accounts can send ${what} in their first day, and you have reached that. You can send more from ${again} UTC; your text is kept below.`,
          },
          status: 429,
        },
        publish: false,
      };
    }
  }

  let publish = can(viewer, "publishWithoutReview");
  if (!publish && settings.trustAfterApproved > 0 && viewer.role === "PATIENT" && !isSilenced(viewer)) {
    const [threads, replies] = await Promise.all([
      db.thread.count({ where: { authorId: viewer.id, status: "APPROVED" } }),
      db.reply.count({ where: { authorId: viewer.id, status: "APPROVED" } }),
    ]);
    // A trusted patient's post that mentions signs of an emergency still goes to a moderator.
    publish = threads + replies >= settings.trustAfterApproved && !urgent;
  }
  if (publish) {
    const text = Object.values(fields).join("\n");
    if (countLinks(text) >= settings.holdLinksAt || findWatched(text, settings.watchedHold).length > 0) publish = false;
  }
  return { publish };
}
