// Sensitive actions (exporting the data, turning two-factor off, changing email or password, deleting the
// account) need the password or a code given within the last 10 minutes. The time is kept on the session.
import type { Database } from "../db/client.ts";
import { hashSessionId } from "./session-store.ts";

export const RECENT_AUTH_MS = 10 * 60 * 1000;

/** Whether this browser's person gave their password or a code in the last 10 minutes. */
export async function isRecentlyAuthenticated(db: Database, sessionId: string, now = Date.now()): Promise<boolean> {
  const row = await db.session.findUnique({ where: { id: hashSessionId(sessionId) }, select: { authenticatedAt: true } });
  return !!row && now - row.authenticatedAt.getTime() < RECENT_AUTH_MS;
}

/** Records that the password or a code was just given in this session. */
export async function markAuthenticated(db: Database, sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: hashSessionId(sessionId) }, data: { authenticatedAt: new Date() } });
}
