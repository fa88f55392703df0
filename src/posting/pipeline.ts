// One way to send a post. A new question, reply or article and every author's edit go through the same named
// steps, in this order (after Discourse's PostCreator and NewPostManager):
//
//   1. earlierSubmission  the same form sent before answers with the post it made
//      target             (if given) what the post answers still takes it: an open thread, a parent reply
//   2. emergencyCheck     signs of an emergency mark the post urgent (first in the queue)
//   3. holdDecision       refusals (blocked words, first-day and hourly limits), then the hold rules and their reasons
//                         (src/moderation/hold.ts: a new rule is one entry there)
//   4. write              the post, its reasons and its status, in one transaction ...
//   5. announce           ... with the announcements (post events) when it is published at once
//   6. submittedTwin      the same form sent twice at once: the loser answers with the winner's post
//
// What differs between kinds of post is only what `write` stores and what `announce` tells.
import type { SignedInUser } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { invalid, ok, type Result } from "../lib/errors.ts";
import { decideHold, type SentKind } from "../moderation/hold.ts";
import { orSubmittedTwin } from "../posts/submission.ts";
import { isUrgent } from "../safety/review.ts";

/** What the steps decided about a post, for `write` to store. */
export interface Sent {
  publish: boolean;
  urgent: boolean;
  /** Why it waits (empty when published). */
  holdReasons: string[];
  /** What every hold rule said, held or not: stored by a resubmission, which waits whatever the rules say. */
  reasons: string[];
  /** When it was held, or null when published. */
  heldAt: Date | null;
  now: Date;
}

/** A new post's state, as the steps decided: published at once, or held with its reasons. */
export function newPostState(s: Sent) {
  return {
    status: s.publish ? ("APPROVED" as const) : ("PENDING" as const),
    approvedAt: s.publish ? s.now : null,
    createdAt: s.now,
    updatedAt: s.now,
    urgent: s.urgent,
    holdReasons: s.holdReasons,
    heldAt: s.heldAt,
  };
}

/**
 * A held or sent-back post sent again: back in the queue whatever the rules say, with what they said now, and
 * the last decision cleared from the post (it stays in the audit log).
 */
export function resubmittedState(s: Sent) {
  return {
    status: "PENDING" as const,
    urgent: s.urgent,
    holdReasons: s.reasons,
    heldAt: s.now,
    changesRequestedAt: null,
    moderationReason: null,
    moderationNote: null,
    updatedAt: s.now,
  };
}

export interface Sending<T> {
  author: SignedInUser;
  kind: SentKind;
  /** The text as sent, by field name (a refusal names the field). */
  fields: Record<string, string>;
  /** The post is already stored (an edit or a resubmission): the author's history counts it. */
  counted?: boolean;
  /** The post this form made before, by its submission key. */
  findSubmitted?: () => Promise<T | null> | null;
  /** Checks what the post answers (after an earlier submission is looked for); a value refused here comes back. */
  target?(): Promise<Result<never> | null>;
  /** Stores the post; a value refused here (a race with a moderator) comes back to the form. */
  write(tx: Prisma.TransactionClient, sent: Sent): Promise<Result<T>>;
  /** Tells of the post once it is public (inside the same transaction). */
  announce?(tx: Prisma.TransactionClient, post: T, sent: Sent): Promise<void>;
}

export type Sendout<T> = Result<{ post: T; sent: Sent | null }>;

export async function sendPost<T>(db: Database, s: Sending<T>): Promise<Sendout<T>> {
  const earlier = await earlierSubmission(s);
  if (earlier) return ok({ post: earlier, sent: null });
  const refused = (await s.target?.()) ?? null;
  if (refused) return refused;
  const urgent = emergencyCheck(s);
  const decision = await decideHold(db, s.author, { kind: s.kind, fields: s.fields, urgent, counted: s.counted ?? false });
  if (decision.refused) return invalid(decision.refused.errors, decision.refused.status);
  const now = new Date();
  const sent: Sent = {
    publish: decision.publish,
    urgent,
    holdReasons: decision.publish ? [] : decision.reasons,
    reasons: decision.reasons,
    heldAt: decision.publish ? null : now,
    now,
  };
  const written = await submittedTwin(
    s,
    db.$transaction(async (tx) => {
      const result = await s.write(tx, sent);
      if (result.ok && sent.publish && s.announce) await s.announce(tx, result.value, sent);
      return result;
    }),
  );
  return written.ok ? ok({ post: written.value, sent }) : written;
}

async function earlierSubmission<T>(s: Sending<T>): Promise<T | null> {
  return (await s.findSubmitted?.()) ?? null;
}

function emergencyCheck<T>(s: Sending<T>): boolean {
  return isUrgent(...Object.values(s.fields));
}

function submittedTwin<T>(s: Sending<T>, making: Promise<Result<T>>): Promise<Result<T>> {
  if (!s.findSubmitted) return making;
  const find = s.findSubmitted;
  return orSubmittedTwin(making, async () => {
    const same = await find();
    return same === null ? null : ok(same);
  });
}
