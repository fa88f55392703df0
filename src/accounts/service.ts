// A signed-in person's own account: private details that only they see.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError } from "../lib/errors.ts";

export function createAccountService(db: Database) {
  return {
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
