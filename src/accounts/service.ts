// A signed-in person's own account: private details that only they see.
import { randomUUID } from "node:crypto";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, invalid, ok, type Result } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";

const WRONG_PASSWORD = "That password is not correct.";

function signedIn(viewer: Viewer) {
  if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to manage your account.");
  return viewer;
}

export function createAccountService(db: Database, passwords: PasswordHasher) {
  async function checkPassword(userId: string, password: string): Promise<boolean> {
    const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
    return passwords.verify(user.passwordHash, password);
  }

  return {
    /** Changes the password and ends every other session of this person. */
    async changePassword(viewer: Viewer, currentSessionId: string, current: string, next: string): Promise<Result<null>> {
      const me = signedIn(viewer);
      if (!(await checkPassword(me.id, current))) return invalid({ currentPassword: WRONG_PASSWORD }, 400);
      const passwordHash = await passwords.hash(next);
      await db.$transaction([
        db.user.update({ where: { id: me.id }, data: { passwordHash } }),
        db.session.deleteMany({ where: { userId: me.id, id: { not: currentSessionId } } }),
      ]);
      return ok(null);
    },

    /**
     * Deletes the account: posts stay, shown as "Former member"; email, password hash, physician details and
     * sessions go. Audit entries stay; they hold only the account's random id.
     */
    async deleteAccount(viewer: Viewer, password: string): Promise<Result<null>> {
      const me = signedIn(viewer);
      if (!(await checkPassword(me.id, password))) return invalid({ password: WRONG_PASSWORD }, 400);
      const tombstone = `deleted-${randomUUID()}`;
      await db.$transaction([
        db.session.deleteMany({ where: { userId: me.id } }),
        db.physicianProfile.deleteMany({ where: { userId: me.id } }),
        db.user.update({
          where: { id: me.id },
          data: {
            email: `${tombstone}@deleted.invalid`,
            passwordHash: "",
            pseudonym: "Former member",
            pseudonymKey: tombstone,
            deletedAt: new Date(),
          },
        }),
      ]);
      return ok(null);
    },

    async overview(viewer: Viewer) {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to see your account.");
      const user = await db.user.findUniqueOrThrow({
        where: { id: viewer.id },
        select: { email: true, pseudonym: true, role: true, createdAt: true, physicianProfile: true },
      });
      const p = user.physicianProfile;
      return {
        email: user.email,
        pseudonym: user.pseudonym,
        role: user.role.toLowerCase(),
        memberSince: user.createdAt,
        application: p
          ? {
              fullName: p.fullName,
              credentials: p.credentials,
              specialty: p.specialty,
              jurisdiction: p.jurisdiction,
              isPending: p.status === "PENDING",
              isVerified: p.status === "VERIFIED",
              isRejected: p.status === "REJECTED",
              isRevoked: p.status === "REVOKED",
              verifiedAt: p.verifiedAt,
              reason: p.reviewReason,
              note: p.reviewNote,
            }
          : null,
      };
    },
  };
}
