// The first admin, and any later one, without the demo seed: `npm run admin:create -- EMAIL` makes or promotes
// the account and issues a one-time link where that person sets their password. Only a SHA-256 of the link's
// token is stored; it works once, within 24 hours, and both the promotion and its use are audit-logged.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { type FieldErrors, invalid, ok, type Result } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";
import { pseudonymKey } from "../lib/slug.ts";
import { writeAudit } from "../moderation/audit.ts";

export const SETUP_LINK_MS = 24 * 60 * 60 * 1000;
/** Not an argon2 hash, so no password ever verifies against it: the account has no password until the link is used. */
export const NO_PASSWORD = "!unset";

export const hashSetupToken = (token: string): string => createHash("sha256").update(token).digest("hex");
/** 256 random bits, base64url: the shape the route accepts. */
export const SETUP_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const setupPath = (token: string) => `/set-password/${token}`;

async function freePseudonym(tx: Prisma.TransactionClient): Promise<string> {
  // "Admin", then "Admin 2", …: never derived from the email, which must stay private.
  for (let n = 1; ; n++) {
    const name = n === 1 ? "Admin" : `Admin ${n}`;
    if (!(await tx.user.findUnique({ where: { pseudonymKey: pseudonymKey(name) }, select: { id: true } }))) return name;
  }
}

export interface AdminCreated {
  userId: string;
  /** A new account, or an existing one promoted. */
  created: boolean;
  previousRole: string | null;
  token: string;
  expiresAt: Date;
}

/** Makes `email` an admin (creating the account if there is none) and issues a fresh setup link. */
export async function createAdmin(db: Database, email: string, now = new Date()): Promise<AdminCreated> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SETUP_LINK_MS);
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({
      where: { email },
      select: { id: true, role: true, deletedAt: true, emailConfirmedAt: true },
    });
    let userId: string;
    if (existing && !existing.deletedAt) {
      userId = existing.id;
      // Whoever runs this command on the server vouches for the address, so mail can reach the new admin.
      await tx.user.update({ where: { id: userId }, data: { role: "ADMIN", emailConfirmedAt: existing.emailConfirmedAt ?? now } });
    } else {
      if (existing) throw new Error(`${email} belonged to an account that was deleted; use another address.`);
      userId = randomUUID();
      const pseudonym = await freePseudonym(tx);
      await tx.user.create({
        data: {
          id: userId,
          email,
          passwordHash: NO_PASSWORD,
          pseudonym,
          pseudonymKey: pseudonymKey(pseudonym),
          role: "ADMIN",
          // The new admin's address counts as confirmed: whoever runs this command on the server vouches for it.
          emailConfirmedAt: now,
        },
      });
    }
    // One live link per person: a new command makes any earlier link useless.
    await tx.passwordSetupLink.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
    await tx.passwordSetupLink.create({ data: { tokenHash: hashSetupToken(token), userId, expiresAt, createdAt: now } });
    await writeAudit(tx, {
      actorId: userId,
      action: existing ? "admin.promoted" : "admin.created",
      targetType: "USER",
      targetId: userId,
      note: `npm run admin:create on the server${existing ? ` (was ${existing.role})` : ""}; set-password link valid until ${expiresAt.toISOString()}`,
    });
    return { userId, created: !existing, previousRole: existing?.role ?? null, token, expiresAt };
  });
}

/** Whom a live link belongs to, or null for a link that is unknown, used or expired. */
export async function findSetupLink(db: Database, token: string, now = new Date()) {
  if (!SETUP_TOKEN.test(token)) return null;
  return db.passwordSetupLink.findFirst({
    where: { tokenHash: hashSetupToken(token), usedAt: null, expiresAt: { gt: now }, user: { deletedAt: null } },
    select: { userId: true, user: { select: { pseudonym: true } } },
  });
}

/**
 * Sets the password and spends the link, in one transaction guarded in the WHERE: of two tabs sending the form
 * at once, one wins and the other is told the link was used.
 */
export async function usePasswordLink(
  db: Database,
  passwords: PasswordHasher,
  token: string,
  password: string,
  now = new Date(),
): Promise<Result<{ userId: string }>> {
  const gone: FieldErrors = { _form: "This link has expired or was already used. Ask for a new one (npm run admin:create)." };
  const link = await findSetupLink(db, token, now);
  if (!link) return invalid(gone, 410);
  const passwordHash = await passwords.hash(password);
  const spent = await db.$transaction(async (tx) => {
    const { count } = await tx.passwordSetupLink.updateMany({
      where: { tokenHash: hashSetupToken(token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) return false;
    await tx.user.update({ where: { id: link.userId }, data: { passwordHash } });
    await writeAudit(tx, {
      actorId: link.userId,
      action: "password.set",
      targetType: "USER",
      targetId: link.userId,
      note: "set-password link",
    });
    return true;
  });
  return spent ? ok({ userId: link.userId }) : invalid(gone, 410);
}
