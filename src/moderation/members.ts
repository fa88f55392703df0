// Moderators and members: a member's record, suspending or silencing them, revoking a physician's verification.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { lapsesOn, verificationStanding } from "../lib/verification.ts";
import { notify } from "../notifications/service.ts";
import { loadSettings } from "../settings/service.ts";
import { writeAudit } from "./audit.ts";
import { requireModerator } from "./guard.ts";
import { readAuthorHistory } from "./queue-queries.ts";
import { reReviewPostsOf } from "./re-review.ts";
import { provenanceColumns, provenanceNote, type VerifyInput } from "./schemas.ts";
import { recountAnswersOf } from "./verification-lapse.ts";

const STATUS_WORDS = {
  PENDING: "Applied: awaiting review in the queue",
  VERIFIED: "Verified",
  REJECTED: "Not verified (application rejected)",
  REVOKED: "Revoked",
  LAPSED: "Lapsed",
} as const;

const day = (d: Date | null | undefined) => d?.toISOString().slice(0, 10) ?? null;

export function createMemberModeration(db: Database) {
  return {
    /** Revokes a physician's verification: the badge leaves every post at once; the revocation is logged. */
    async revoke(viewer: Viewer, userId: string, reason: string): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer, "reviewApplications");
      const done = await db.$transaction(async (tx) => {
        const profile = await tx.physicianProfile.findUnique({ where: { userId }, select: { id: true } });
        if (!profile) throw notFound("physician");
        const { count } = await tx.physicianProfile.updateMany({
          where: { id: profile.id, status: { in: ["VERIFIED", "LAPSED"] } },
          data: { status: "REVOKED", revokedAt: new Date(), lapsedAt: null, reviewReason: reason, reviewedById: moderator.id },
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

    /**
     * Records a new check of a verified (possibly overdue) or lapsed physician's licence: the provenance and the
     * next re-check date. A lapsed badge is restored at once, and the physician is told.
     */
    async recheck(viewer: Viewer, userId: string, provenance: VerifyInput): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer, "reviewApplications");
      const done = await db.$transaction(async (tx) => {
        const profile = await tx.physicianProfile.findUnique({ where: { userId }, select: { id: true, status: true } });
        if (!profile) throw notFound("physician");
        if (profile.status !== "VERIFIED" && profile.status !== "LAPSED") return null;
        const { count } = await tx.physicianProfile.updateMany({
          where: { id: profile.id, status: profile.status },
          data: {
            status: "VERIFIED",
            lapsedAt: null,
            reviewedById: moderator.id,
            ...provenanceColumns(provenance),
          },
        });
        if (count !== 1) return null;
        await writeAudit(tx, {
          actorId: moderator.id,
          action: "recheck",
          targetType: "PHYSICIAN_APPLICATION",
          targetId: profile.id,
          note: provenanceNote(provenance),
        });
        const restored = profile.status === "LAPSED";
        if (restored) {
          await recountAnswersOf(tx, userId);
          await notify(tx, {
            userId,
            kind: "VERIFICATION",
            message: "Your licence was checked again: your verified badge is back",
            detail: `Checked with ${provenance.registryName} on ${provenance.checkedOn}. The next check is due by ${provenance.reverifyBy}.`,
            url: "/account",
          });
        }
        return { restored };
      });
      if (done === null)
        return invalid(
          { _form: "Only a verified or lapsed physician's licence can be checked again. Review applications in the queue." },
          409,
        );
      return ok({
        message: done.restored
          ? "Licence checked again. The badge is back on their posts, and they have been told."
          : "Licence checked again. The next check is recorded.",
      });
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
              lapsedAt: true,
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
      const [history, settings] = await Promise.all([readAuthorHistory(db, [user.id]).then((h) => h.get(user.id)), loadSettings(db)]);
      const now = Date.now();
      const p = user.physicianProfile;
      const standing = p?.status === "VERIFIED" ? verificationStanding(p.reverifyBy, settings.verificationGraceDays) : null;
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
        physician: p && {
          ...p,
          isVerified: p.status === "VERIFIED",
          isRevoked: p.status === "REVOKED",
          isLapsed: p.status === "LAPSED",
          statusWords: STATUS_WORDS[p.status],
          /** Past the re-check date: shown as overdue, with the day the badge lapses unless checked. */
          isDue: standing === "overdue" || standing === "lapsed",
          lapsesOn: standing && standing !== "current" && p.reverifyBy ? lapsesOn(p.reverifyBy, settings.verificationGraceDays) : null,
          canRecheck: p.status === "VERIFIED" || p.status === "LAPSED",
          checkedOn: day(p.checkedOn),
          reverifyBy: day(p.reverifyBy),
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
