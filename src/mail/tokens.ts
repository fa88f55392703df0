// Signed, unguessable links in mail: the one-click unsubscribe carries an HMAC of who and what, so it works
// without signing in and cannot be forged for someone else.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

function sign(secret: string, userId: string, threadId: number): string {
  return createHmac("sha256", secret).update(`unsubscribe:${userId}:${threadId}`).digest("base64url");
}

export function unsubscribePath(secret: string, userId: string, threadId: number): string {
  return `/unsubscribe?${new URLSearchParams({ u: userId, t: String(threadId), s: sign(secret, userId, threadId) })}`;
}

export function verifyUnsubscribe(secret: string, userId: string, threadId: number, signature: string): boolean {
  const expected = Buffer.from(sign(secret, userId, threadId));
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
