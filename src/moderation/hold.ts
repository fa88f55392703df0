// Whether a new post or an edit waits for a moderator, and why: decided once, when it is sent, and the reasons
// are stored with it (the queue shows what was stored, not what today's settings would say). Refusals come
// first (blocked words, first-day and hourly limits: the form comes back with the text); then every hold rule is asked.
// A new rule is one entry in HOLD_RULES.
import { can, isSilenced } from "../auth/permissions.ts";
import { isStaff, type SignedInUser } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { FieldErrors } from "../lib/errors.ts";
import { findIdentifyingDetails } from "../safety/identifying.ts";
import { countLinks, findWatched, loadSettings, NEW_ACCOUNT_MS, type Settings } from "../settings/service.ts";

/**
 * A new question, a new article, a new reply, or an edit of a post. Edits are not counted against the limits;
 * an article counts as a question on the first day, but not against the hourly limit (only verified physicians write them).
 */
export type SentKind = "question" | "article" | "reply" | "edit";

/** What the hold rules see of a post being sent. */
export interface HoldContext {
  author: SignedInUser;
  kind: SentKind;
  /** The text as sent, all fields together. */
  text: string;
  urgent: boolean;
  settings: Settings;
  /** The author's posts so far: approved ones, and whether this is their first. */
  history: { approved: number; firstPost: boolean };
}

/** A rule's finding: why the post would wait, in a moderator's words (null: nothing to show), and whether it holds the post. */
export interface HoldFinding {
  reason: string | null;
  holds: boolean;
}

export interface HoldRule {
  name: string;
  check(post: HoldContext): HoldFinding[];
}

const publishesUnreviewed = (post: HoldContext) => can(post.author, "publishWithoutReview");

/** In the order the queue lists reasons. Informational findings (first post, identifying details) hold nothing. */
export const HOLD_RULES: HoldRule[] = [
  {
    name: "emergency",
    // A trusted patient's post that mentions signs of an emergency still goes to a moderator.
    check: (p) => (p.urgent ? [{ reason: "mentions signs of an emergency", holds: !isStaff(p.author) && !publishesUnreviewed(p) }] : []),
  },
  { name: "first post", check: (p) => (p.history.firstPost ? [{ reason: "the author's first post", holds: false }] : []) },
  {
    name: "links",
    check: (p) => {
      const links = countLinks(p.text);
      if (links < p.settings.holdLinksAt) return [];
      return [{ reason: `${links} links (the limit is ${p.settings.holdLinksAt})`, holds: !isStaff(p.author) }];
    },
  },
  {
    name: "watched words",
    check: (p) =>
      findWatched(p.text, p.settings.watchedHold).map((word) => ({ reason: `watched word "${word}"`, holds: !isStaff(p.author) })),
  },
  {
    name: "identifying details",
    check: (p) => (findIdentifyingDetails(p.text).length > 0 ? [{ reason: "may contain identifying details", holds: false }] : []),
  },
  { name: "author's standing", check: (p) => [standing(p)] },
];

/** Who is reviewed at all: staff only when silenced; verified physicians never; patients until trusted, if trust is on. */
function standing(p: HoldContext): HoldFinding {
  const { author, settings, history } = p;
  let holds: boolean;
  if (isStaff(author)) holds = isSilenced(author);
  else if (publishesUnreviewed(p)) holds = false;
  else if (settings.trustAfterApproved > 0 && author.role === "PATIENT" && !isSilenced(author))
    holds = history.approved < settings.trustAfterApproved;
  else holds = true;
  const physician = author.physician;
  let reason: string | null = null;
  if (physician?.status === "LAPSED") reason = "physician's verification lapsed (not checked again in time): posts are reviewed";
  else if (physician && physician.status !== "VERIFIED") reason = "physician not verified yet: posts are reviewed";
  else if (!physician && settings.trustAfterApproved === 0) reason = "every patient post is reviewed";
  else if (!physician && history.approved < settings.trustAfterApproved)
    reason = `the author has ${history.approved} of ${settings.trustAfterApproved} approved posts needed to skip review`;
  return { reason, holds };
}

export interface HoldDecision {
  /** Set when the post can't be sent as it is; the form comes back with these and the text. */
  refused?: { errors: FieldErrors; status: number };
  /** Published without review. */
  publish: boolean;
  /** Every rule's words about it: stored with it when it waits. */
  reasons: string[];
}

/** Every rule's findings: held when any finding holds; the reasons are all the findings' words (kept when held). */
export function applyHoldRules(post: HoldContext, rules: readonly HoldRule[] = HOLD_RULES): { publish: boolean; reasons: string[] } {
  const findings = rules.flatMap((rule) => rule.check(post));
  const held = findings.some((f) => f.holds);
  return { publish: !held, reasons: findings.flatMap((f) => (f.reason ? [f.reason] : [])) };
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

/** New accounts send a limited number of questions and replies in their first day. */
async function firstDayLimit(db: Database, author: SignedInUser, kind: SentKind, settings: Settings): Promise<FieldErrors | null> {
  if (kind === "edit" || isStaff(author)) return null;
  const since = (await db.user.findUnique({ where: { id: author.id }, select: { createdAt: true } }))?.createdAt ?? new Date(0);
  if (Date.now() - since.getTime() >= NEW_ACCOUNT_MS) return null;
  const asks = kind !== "reply";
  const limit = asks ? settings.newAccountQuestions : settings.newAccountReplies;
  const sent = asks
    ? await db.thread.count({ where: { authorId: author.id, kind: "QUESTION", createdAt: { gte: since } } })
    : await db.reply.count({ where: { authorId: author.id, createdAt: { gte: since } } });
  if (sent < limit) return null;
  const again = new Date(since.getTime() + NEW_ACCOUNT_MS).toISOString().slice(11, 16);
  const what = howMany(asks ? "question" : "reply", limit);
  return {
    _form: `New accounts can send ${what} in their first day, and you have reached that. You can send more from ${again} UTC; your text is kept below.`,
  };
}

/** An hour, the window of the hourly limits. */
export const HOUR_MS = 60 * 60 * 1000;

/**
 * Every account (past its first day too) sends at most so many questions and replies in any hour, so an
 * established account can't flood the queue. Staff are exempt; articles and edits are not counted.
 */
async function hourlyLimit(db: Database, author: SignedInUser, kind: SentKind, settings: Settings): Promise<FieldErrors | null> {
  if ((kind !== "question" && kind !== "reply") || isStaff(author)) return null;
  const limit = kind === "question" ? settings.questionsPerHour : settings.repliesPerHour;
  const where = { authorId: author.id, createdAt: { gt: new Date(Date.now() - HOUR_MS) } };
  // The oldest of the last `limit` posts in the hour: more can be sent once it is an hour old.
  const recent =
    kind === "question"
      ? await db.thread.findMany({
          where: { ...where, kind: "QUESTION" },
          select: { createdAt: true },
          orderBy: { createdAt: "desc" },
          take: limit,
        })
      : await db.reply.findMany({ where, select: { createdAt: true }, orderBy: { createdAt: "desc" }, take: limit });
  const oldest = recent[limit - 1];
  if (!oldest) return null;
  // Rounded up to the minute, so the time shown is never a minute early.
  const again = new Date(Math.ceil((oldest.createdAt.getTime() + HOUR_MS) / 60_000) * 60_000).toISOString().slice(11, 16);
  return {
    _form: `Each account can send ${howMany(kind, limit)} an hour, and you have reached that. You can send more from ${again} UTC; your text is kept below.`,
  };
}

const howMany = (kind: "question" | "reply", n: number) =>
  kind === "question" ? `${n} question${n === 1 ? "" : "s"}` : `${n} repl${n === 1 ? "y" : "ies"}`;

/** The author's approved posts and all their posts, questions and replies together. */
export async function readHistory(db: Pick<Database, "$queryRaw">, authorId: string, counted: boolean) {
  const [row] = await db.$queryRaw<{ approved: number; total: number }[]>`
    SELECT count(*) FILTER (WHERE status = 'APPROVED')::int AS approved, count(*)::int AS total FROM (
      SELECT status FROM "Thread" WHERE "authorId" = ${authorId}::uuid
      UNION ALL SELECT status FROM "Reply" WHERE "authorId" = ${authorId}::uuid) p`;
  // A post already in the table (a resubmission, a recorded one) counts itself.
  return { approved: row?.approved ?? 0, firstPost: (row?.total ?? 0) <= (counted ? 1 : 0) };
}

/**
 * The decision for a post being sent. `counted`: the post is already stored (an edit or a resubmission), so
 * the author's history includes it.
 */
export async function decideHold(
  db: Database,
  author: SignedInUser,
  post: { kind: SentKind; fields: Record<string, string>; urgent: boolean; counted: boolean },
): Promise<HoldDecision> {
  const settings = await loadSettings(db);
  const blocked = blockedWords(settings, post.fields);
  if (blocked) return { refused: { errors: blocked, status: 400 }, publish: false, reasons: [] };
  const limited = (await firstDayLimit(db, author, post.kind, settings)) ?? (await hourlyLimit(db, author, post.kind, settings));
  if (limited) return { refused: { errors: limited, status: 429 }, publish: false, reasons: [] };
  const history = await readHistory(db, author.id, post.counted);
  const text = Object.values(post.fields).join("\n");
  return applyHoldRules({ author, kind: post.kind, text, urgent: post.urgent, settings, history });
}
