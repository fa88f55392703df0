// Signed, unguessable links in mail: the unsubscribe link carries an HMAC of who and what, so it works without
// signing in (RFC 8058's one-click POST carries no cookies) and cannot be forged for someone else.
import { createHmac, timingSafeEqual } from "node:crypto";

/** What a link stops: one thread's reply mail, or a physician's mail about new questions (at once and digests). */
export type MailList = { thread: number } | "questions";

const subject = (list: MailList) => (list === "questions" ? "questions" : String(list.thread));

function sign(secret: string, userId: string, list: MailList): string {
  // Thread links keep the form they had before other lists existed, so links in mail already sent still work.
  return createHmac("sha256", secret)
    .update(`unsubscribe:${userId}:${subject(list)}`)
    .digest("base64url");
}

export function unsubscribePath(secret: string, userId: string, list: MailList): string {
  const which: [string, string] = list === "questions" ? ["l", "questions"] : ["t", String(list.thread)];
  return `/unsubscribe?${new URLSearchParams([["u", userId], which, ["s", sign(secret, userId, list)]])}`;
}

export function verifyUnsubscribe(secret: string, userId: string, list: MailList, signature: string): boolean {
  const expected = Buffer.from(sign(secret, userId, list));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
