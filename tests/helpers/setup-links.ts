// A live set-password link for a person, as `npm run admin:create` issues them, without promoting anyone.
import { randomBytes } from "node:crypto";
import { hashSetupToken, SETUP_LINK_MS } from "../../src/admin/setup-links.ts";
import type { Database } from "../../src/db/client.ts";

export async function setupLinkFor(db: Database, user: { id: string }, expiresInMs = SETUP_LINK_MS): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.passwordSetupLink.create({
    data: { tokenHash: hashSetupToken(token), userId: user.id, expiresAt: new Date(Date.now() + expiresInMs) },
  });
  return token;
}
