// A data step: posts that wait for a moderator without a stored hold decision (held before reasons were stored,
// or written straight into the database, as the demo seed does) get their reasons recorded once, by the same
// rules a new post goes through. Run after migrations; it touches nothing that already has a decision.
import type { SignedInUser } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { PostKind } from "../posts/kinds.ts";
import { loadSettings } from "../settings/service.ts";
import { applyHoldRules, readHistory } from "./hold.ts";

const authorFields = {
  id: true,
  role: true,
  pseudonym: true,
  silencedUntil: true,
  suspendedUntil: true,
  restrictionMessage: true,
  physicianProfile: {
    select: { handle: true, fullName: true, credentials: true, specialty: true, status: true, verifiedAt: true },
  },
} as const;

type AuthorFields = {
  id: string;
  role: SignedInUser["role"];
  pseudonym: string;
  silencedUntil: Date | null;
  suspendedUntil: Date | null;
  restrictionMessage: string | null;
  physicianProfile: SignedInUser["physician"];
};

const asAuthor = (u: AuthorFields): SignedInUser => ({
  id: u.id,
  role: u.role,
  pseudonym: u.pseudonym,
  physician: u.physicianProfile,
  restriction: { suspendedUntil: u.suspendedUntil, silencedUntil: u.silencedUntil, message: u.restrictionMessage },
});

/** Records the hold reasons of waiting posts that have none stored (all of them, or the one given). Returns how many. */
export async function recordMissingHoldReasons(db: Database, only?: { kind: PostKind; id: number }): Promise<number> {
  const settings = await loadSettings(db);
  const waiting = { status: "PENDING" as const, heldAt: null };
  const [threads, replies] = await Promise.all([
    only && only.kind !== "threads"
      ? []
      : db.thread.findMany({
          where: { ...waiting, ...(only ? { id: only.id } : {}) },
          select: { id: true, title: true, body: true, urgent: true, createdAt: true, author: { select: authorFields } },
        }),
    only && only.kind !== "replies"
      ? []
      : db.reply.findMany({
          where: { ...waiting, ...(only ? { id: only.id } : {}) },
          select: { id: true, body: true, urgent: true, createdAt: true, author: { select: authorFields } },
        }),
  ]);
  const decide = async (post: { text: string; urgent: boolean; author: AuthorFields }) => {
    const history = await readHistory(db, post.author.id, true);
    const author = asAuthor(post.author);
    return applyHoldRules({ author, kind: "question", text: post.text, urgent: post.urgent, settings, history }).reasons;
  };
  // Each rule set is worked out from the same settings and histories, then all are written.
  for (const t of threads) {
    const holdReasons = await decide({ text: `${t.title}\n${t.body}`, urgent: t.urgent, author: t.author });
    await db.thread.update({ where: { id: t.id }, data: { holdReasons, heldAt: t.createdAt } });
  }
  for (const r of replies) {
    const holdReasons = await decide({ text: r.body, urgent: r.urgent, author: r.author });
    await db.reply.update({ where: { id: r.id }, data: { holdReasons, heldAt: r.createdAt } });
  }
  return threads.length + replies.length;
}
