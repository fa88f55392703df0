// Moderators and members: a member's record, suspending or silencing them, revoking a physician's verification.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { writeAudit } from "./audit.ts";
import { requireModerator } from "./guard.ts";
import { readAuthorHistory } from "./queue-queries.ts";
import { reReviewPostsOf } from "./re-review.ts";

export function createMemberModeration(db: Database) {
  return {
    /** Revokes a physician's verification: the badge leaves every post at once; the revocation is logged. */
    async revoke(viewer: Viewer, userId: string, reason: string): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer, "reviewApplications");
      const done = await db.$transaction(async (tx) => {
        const profile = await tx.physicianProfile.findUnique({ where: { userId }, select: { id: true } });
        if (!profile) throw notFound("physician");
        const { count } = await tx.physicianProfile.updateMany({
          where: { id: profile.id, status: "VERIFIED" },
          data: { status: "REVOKED", revokedAt: new Date(), reviewReason: reason, reviewedById: moderator.id },
        });
        if (count !== 1) return null;
        await writeAudit(tx, {
          actorId: moderator.id,
          action: "revoke",
          targetType: "PHYSICIAN_APPLICATION",
          targetId: profile.id,
          reason,
        });
        return reReviewPostsOf(tx, userId, reason);
      });
      if (done === null) return invalid({ _form: "This physician is not verified (any more), so there is nothing to revoke." }, 409);
      return ok({ message: `Verification revoked. The badge is gone from every post, and ${done} published posts are back in the queue.` });
    },

    /** A member as moderators see them: history and any restriction. */
    async member(viewer: Viewer, userId: string) {
      requireModerator(viewer);
      const user = await db.user.findUnique({
        where: { id: userId },
        select: {
          physicianProfile: {
            select: {
              fullName: true,
              credentials: true,
              specialty: true,
              status: true,
              verifiedAt: true,
              registryName: true,
              registryReference: true,
              checkedOn: true,
              reverifyBy: true,
              revokedAt: true,
              reviewReason: true,
            },
          },
          id: true,
          pseudonym: true,
          role: true,
          createdAt: true,
          deletedAt: true,
          suspendedUntil: true,
          silencedUntil: true,
          restrictionMessage: true,
        },
      });
      if (!user || user.deletedAt) throw notFound("member");
      const history = (await readAuthorHistory(db, [user.id])).get(user.id);
      const now = Date.now();
      return {
        id: user.id,
        pseudonym: user.pseudonym,
        role: user.role.toLowerCase(),
        memberSince: user.createdAt,
        approved: history?.approved ?? 0,
        rejected: history?.rejected ?? 0,
        suspendedUntil: user.suspendedUntil && user.suspendedUntil.getTime() > now ? user.suspendedUntil : null,
        silencedUntil: user.silencedUntil && user.silencedUntil.getTime() > now ? user.silencedUntil : null,
        message: user.restrictionMessage,
        isStaff: user.role === "MODERATOR" || user.role === "ADMIN",
        physician: user.physicianProfile && {
          ...user.physicianProfile,
          isVerified: user.physicianProfile.status === "VERIFIED",
          isRevoked: user.physicianProfile.status === "REVOKED",
          isDue: !!user.physicianProfile.reverifyBy && user.physicianProfile.reverifyBy.getTime() < now,
          checkedOn: user.physicianProfile.checkedOn?.toISOString().slice(0, 10) ?? null,
          reverifyBy: user.physicianProfile.reverifyBy?.toISOString().slice(0, 10) ?? null,
        },
      };
    },

    /** Suspends (no posting) or silences (every post held) a member for some days, or lifts either. */
    async restrict(
      viewer: Viewer,
      userId: string,
      action: "suspend" | "silence" | "lift",
      days: number,
      message: string,
    ): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer);
      const target = await db.user.findUnique({ where: { id: userId }, select: { role: true, deletedAt: true } });
      if (!target || target.deletedAt) throw notFound("member");
      if (target.role === "MODERATOR" || target.role === "ADMIN")
        return invalid({ _form: "Moderators and admins can't be suspended or silenced here; an admin changes their role instead." }, 403);
      const until = new Date(Date.now() + days * 86_400_000);
      const data =
        action === "lift"
          ? { suspendedUntil: null, silencedUntil: null, restrictionMessage: null }
          : action === "suspend"
            ? { suspendedUntil: until, restrictionMessage: message }
            : { silencedUntil: until, restrictionMessage: message };
      await db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: userId }, data });
        await writeAudit(tx, {
          actorId: moderator.id,
          action,
          targetType: "USER",
          targetId: userId,
          reason: action === "lift" ? null : `${days} day(s)`,
          note: action === "lift" ? null : message,
        });
      });
      const word = { suspend: "Suspended", silence: "Silenced", lift: "Restrictions lifted" }[action];
      return ok({ message: action === "lift" ? `${word}.` : `${word} until ${until.toISOString().slice(0, 10)}.` });
    },
  };
}
