// Password reset by mail: the same answer for every address; a link that works once, for 30 minutes, kept only
// as a hash; the new password ends every session of the person.
import { randomUUID } from "node:crypto";
import type { Database } from "../db/client.ts";
import { invalid, ok, type Result } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";
import { queueMail } from "../mail/outbox.ts";
import { linkPlaceholder, linkTokenHash, tokenHash } from "../mail/tokens.ts";
import { type AttemptCounter, RESET_PER_ADDRESS, RESET_PER_IP } from "./attempt-limit.ts";

export const RESET_LINK_MS = 30 * 60 * 1000;
export const RESET_EXPIRED = "This reset link has expired or was already used. Ask for a new one below.";
export const TOO_MANY_RESETS = "Too many reset requests from this network. Wait an hour and try again.";

export function createPasswordResetService(deps: { db: Database; passwords: PasswordHasher; attempts: AttemptCounter; secret: string }) {
  const { db, passwords, attempts, secret } = deps;
  const live = (token: string) => ({ tokenHash: tokenHash(token), usedAt: null, expiresAt: { gt: new Date() } });

  return {
    /** Mails a link when the address has a confirmed account (and is under its hourly limit); otherwise nothing. */
    async request(email: string, ip: string): Promise<Result<null>> {
      if (!(await attempts.allowAttempt(`reset-ip:${ip}`, RESET_PER_IP))) return invalid({ _form: TOO_MANY_RESETS }, 429);
      const user = await db.user.findFirst({
        where: { email, deletedAt: null, emailConfirmedAt: { not: null } },
        select: { id: true },
      });
      if (!user || !(await attempts.allowAttempt(`reset-address:${email}`, RESET_PER_ADDRESS))) return ok(null);
      const id = randomUUID();
      await db.$transaction(async (tx) => {
        await tx.passwordReset.create({
          data: { id, userId: user.id, tokenHash: linkTokenHash(secret, id), expiresAt: new Date(Date.now() + RESET_LINK_MS) },
        });
        await queueMail(tx, {
          to: email,
          userId: user.id,
          subject: "Reset your Curbside password",
          text: [
            "Someone (we hope you) asked to reset the password of your Curbside account.",
            "Open this link within 30 minutes to choose a new one. It works once; every browser signed in to your account is signed out.",
            "If it wasn't you, ignore this mail: your password stays as it is.",
          ].join("\n"),
          path: `/login/reset?token=${linkPlaceholder(id)}`,
        });
      });
      return ok(null);
    },

    async isValid(token: string): Promise<boolean> {
      return (await db.passwordReset.count({ where: live(token) })) === 1;
    },

    /** Uses the link (once: guarded in the WHERE), sets the password, ends all sessions and all other links. */
    async complete(token: string, password: string): Promise<Result<{ userId: string; email: string }>> {
      const row = await db.passwordReset.findFirst({ where: live(token), select: { id: true, userId: true } });
      if (!row) return invalid({ _form: RESET_EXPIRED }, 410);
      const passwordHash = await passwords.hash(password);
      const user = await db.$transaction(async (tx) => {
        const { count } = await tx.passwordReset.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
        if (count !== 1) return null;
        await tx.passwordReset.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: new Date() } });
        await tx.session.deleteMany({ where: { userId: row.userId } });
        return tx.user.update({ where: { id: row.userId }, data: { passwordHash }, select: { id: true, email: true } });
      });
      if (!user) return invalid({ _form: RESET_EXPIRED }, 410);
      return ok({ userId: user.id, email: user.email });
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
