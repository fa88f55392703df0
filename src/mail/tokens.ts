// Signed, unguessable links in mail: the unsubscribe link carries an HMAC of who and what, so it works without
// signing in (RFC 8058's one-click POST carries no cookies) and cannot be forged for someone else.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

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

// Links that act for a person (confirm an address, reset a password) carry a token derived from a random row id
// with the app secret. The database keeps the id and the token's SHA-256, never the token: a leaked table alone
// makes no working link. Mail stores the placeholder `{link:<id>}`, which the worker expands as it sends.
const LINK = /\{link:([0-9a-f-]{36})\}/g;

export function linkToken(secret: string, id: string): string {
  return createHmac("sha256", secret).update(`link:${id}`).digest("base64url");
}

export const tokenHash = (token: string): string => createHash("sha256").update(token).digest("hex");

export const linkTokenHash = (secret: string, id: string): string => tokenHash(linkToken(secret, id));

/** The mail's placeholder for the link token of row `id`. */
export const linkPlaceholder = (id: string): string => `{link:${id}}`;

export function expandLinks(secret: string, path: string): string {
  return path.replace(LINK, (_, id: string) => linkToken(secret, id));
}
