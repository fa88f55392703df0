// Signed, unguessable links in mail: the one-click unsubscribe carries an HMAC of who and what, so it works
// without signing in and cannot be forged for someone else.
import { createHmac, timingSafeEqual } from "node:crypto";

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
