// Changing the email address: the new address is confirmed by a mailed link before it takes effect, the old
// address is told, and every address gets the same answer (an address that has another account gets a mail
// for that account's owner instead of a confirmation link).
import { randomUUID } from "node:crypto";
import { type AttemptCounter, SIGNUP_MAIL_PER_ADDRESS } from "../auth/attempt-limit.ts";
import type { SignInThrottle } from "../auth/sign-in-throttle.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, invalid, ok, type Result } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";
import { queueMail } from "../mail/outbox.ts";
import { linkPlaceholder, linkTokenHash, tokenHash } from "../mail/tokens.ts";
import { createPasswordCheck } from "./password-check.ts";

export const EMAIL_LINK_MS = 24 * 60 * 60 * 1000;

export function createEmailChangeService(deps: {
  db: Database;
  passwords: PasswordHasher;
  throttle: SignInThrottle;
  attempts: AttemptCounter;
  secret: string;
}) {
  const { db, attempts, secret } = deps;
  const checkPassword = createPasswordCheck(db, deps.passwords, deps.throttle);
  return {
    /** Asks for the change. The answer is the same for every address; what differs goes by mail. */
    async request(viewer: Viewer, newEmail: string, password: string, ip: string): Promise<Result<null>> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to change your email.");
      const checked = await checkPassword(viewer.id, password, ip, "password");
      if (!checked.ok) return checked;
      const me = await db.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { email: true } });
      if (newEmail === me.email) return ok(null);
      if (!(await attempts.allowAttempt(`email-change:${viewer.id}`, SIGNUP_MAIL_PER_ADDRESS))) return ok(null);
      const other = await db.user.findUnique({ where: { email: newEmail }, select: { id: true, deletedAt: true } });
      await db.$transaction(async (tx) => {
        if (other && !other.deletedAt) {
          await queueMail(tx, {
            to: newEmail,
            userId: other.id,
            subject: "Someone tried to move a Curbside account to your address",
            text: "Someone asked to change the email of another Curbside account to this address, which already has an account: yours. Nothing changed, and your account is as it was. If you want to check it, sign in:",
            path: "/login",
          });
        } else {
          const id = randomUUID();
          await tx.emailChange.create({
            data: {
              id,
              userId: viewer.id,
              newEmail,
              tokenHash: linkTokenHash(secret, id),
              expiresAt: new Date(Date.now() + EMAIL_LINK_MS),
            },
          });
          await queueMail(tx, {
            to: newEmail,
            userId: viewer.id,
            kind: "CONFIRM_ADDRESS",
            subject: "Confirm your new email for Curbside",
            text: "Open this link to make this your Curbside email address. It works once, for 24 hours. If you didn't ask for this, ignore this mail.",
            path: `/account/email/confirm?token=${linkPlaceholder(id)}`,
          });
        }
        await queueMail(tx, {
          to: me.email,
          userId: viewer.id,
          subject: "A change of your Curbside email was asked",
          text: "Someone signed in to your Curbside account asked to change its email address. It changes only once the link sent to the new address is opened. If it wasn't you, change your password now:",
          path: "/account#password-heading",
        });
      });
      return ok(null);
    },

    async isValid(token: string): Promise<boolean> {
      return (await db.emailChange.count({ where: { tokenHash: tokenHash(token), usedAt: null, expiresAt: { gt: new Date() } } })) === 1;
    },

    /** The link from the new address: the change takes effect (once), and the new address counts as confirmed. */
    async confirm(token: string): Promise<Result<{ userId: string }>> {
      const expired = invalid({ _form: "This link has expired or was already used. Ask for the change again on your account page." }, 410);
      const row = await db.emailChange.findFirst({
        where: { tokenHash: tokenHash(token), usedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true, userId: true, newEmail: true },
      });
      if (!row) return expired;
      const outcome = await db.$transaction(async (tx) => {
        const { count } = await tx.emailChange.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
        if (count !== 1) return "used" as const;
        if (await tx.user.findUnique({ where: { email: row.newEmail }, select: { id: true } })) return "taken" as const;
        await tx.user.update({ where: { id: row.userId }, data: { email: row.newEmail, emailConfirmedAt: new Date() } });
        // A sign-up waiting on this address would now make a second account with it.
        await tx.pendingSignup.deleteMany({ where: { email: row.newEmail } });
        return "changed" as const;
      });
      if (outcome === "used") return expired;
      if (outcome === "taken")
        return invalid({ _form: "This address now belongs to another account, so your email stays as it was." }, 409);
      return ok({ userId: row.userId });
    },
  };
}
