// A signed-in person's own account: private details that only they see.
import { randomUUID } from "node:crypto";
import { suspendedForm } from "../auth/permissions.ts";
import type { SignInThrottle } from "../auth/sign-in-throttle.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { isUniqueViolation } from "../lib/db-errors.ts";
import { AppError, invalid, ok, type Result } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";
import { pseudonymKey } from "../lib/slug.ts";
import { lapsesOn, verificationStanding } from "../lib/verification.ts";
import { checkPseudonym } from "../safety/pseudonym-check.ts";
import { loadSettings } from "../settings/service.ts";
import { createPasswordCheck } from "./password-check.ts";

function signedIn(viewer: Viewer) {
  if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to manage your account.");
  return viewer;
}

export function createAccountService(db: Database, passwords: PasswordHasher, throttle: SignInThrottle) {
  const checkPassword = createPasswordCheck(db, passwords, throttle);

  return {
    async changePseudonym(viewer: Viewer, pseudonym: string, keep = false): Promise<Result<null>> {
      const me = signedIn(viewer);
      const suspended = suspendedForm(me, "change your pseudonym", "pseudonym");
      if (suspended) return invalid(suspended, 403);
      const pseudonymError = await checkPseudonym(db, pseudonym, keep);
      if (pseudonymError) return invalid({ pseudonym: pseudonymError }, 400);
      const key = pseudonymKey(pseudonym);
      const taken = await db.user.findFirst({ where: { pseudonymKey: key, NOT: { id: me.id } }, select: { id: true } });
      if (taken) return invalid({ pseudonym: "That pseudonym is taken. Choose another." }, 409);
      try {
        await db.user.update({ where: { id: me.id }, data: { pseudonym, pseudonymKey: key } });
      } catch (error) {
        if (isUniqueViolation(error)) return invalid({ pseudonym: "That pseudonym is taken. Choose another." }, 409);
        throw error;
      }
      return ok(null);
    },

    /** Signed-in browsers of this person, the current one marked. Ids are the stored hashes, never secrets. */
    async sessions(viewer: Viewer, currentHash: string | null) {
      const me = signedIn(viewer);
      const rows = await db.session.findMany({ where: { userId: me.id }, orderBy: { createdAt: "desc" } });
      return rows.map((s) => ({
        id: s.id,
        device: describeDevice(s.userAgent),
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
        current: s.id === currentHash,
      }));
    },

    async endSession(viewer: Viewer, sessionHash: string): Promise<boolean> {
      const me = signedIn(viewer);
      const { count } = await db.session.deleteMany({ where: { id: sessionHash, userId: me.id } });
      return count === 1;
    },

    /** Everything Curbside holds about this person, as one JSON document. */
    async exportData(viewer: Viewer, currentHash: string | null) {
      const me = signedIn(viewer);
      const [
        user,
        threads,
        replies,
        sessions,
        moderationActions,
        flags,
        notifications,
        revisions,
        subscriptions,
        emails,
        settingsChanges,
        dismissals,
        agreements,
        helpfulMarks,
        passwordResets,
        emailChanges,
        recoveryCodes,
        setupLinks,
      ] = await Promise.all([
        db.user.findUniqueOrThrow({ where: { id: me.id }, include: { physicianProfile: true } }),
        db.thread.findMany({ where: { authorId: me.id }, orderBy: { id: "asc" }, include: { category: { select: { name: true } } } }),
        db.reply.findMany({ where: { authorId: me.id }, orderBy: { id: "asc" } }),
        db.session.findMany({ where: { userId: me.id }, orderBy: { createdAt: "asc" } }),
        db.moderationLog.findMany({ where: { actorId: me.id }, orderBy: { id: "asc" } }),
        db.flag.findMany({ where: { reporterId: me.id }, orderBy: { id: "asc" } }),
        db.notification.findMany({ where: { userId: me.id }, orderBy: { id: "asc" } }),
        db.postRevision.findMany({ where: { editorId: me.id }, orderBy: { id: "asc" } }),
        db.threadSubscription.findMany({ where: { userId: me.id }, orderBy: { createdAt: "asc" } }),
        db.outboxEmail.findMany({ where: { userId: me.id }, orderBy: { id: "asc" } }),
        db.siteSettings.findMany({ where: { updatedById: me.id } }),
        db.inboxDismissal.findMany({ where: { userId: me.id }, orderBy: { createdAt: "asc" } }),
        db.agreement.findMany({ where: { userId: me.id }, orderBy: { createdAt: "asc" } }),
        db.helpfulMark.findMany({ where: { userId: me.id }, orderBy: { createdAt: "asc" } }),
        db.passwordReset.findMany({ where: { userId: me.id }, orderBy: { createdAt: "asc" } }),
        db.emailChange.findMany({ where: { userId: me.id }, orderBy: { createdAt: "asc" } }),
        db.recoveryCode.findMany({ where: { userId: me.id }, orderBy: { id: "asc" } }),
        db.passwordSetupLink.findMany({ where: { userId: me.id }, orderBy: { createdAt: "asc" } }),
      ]);
      const p = user.physicianProfile;
      return {
        exportedAt: new Date().toISOString(),
        format: "curbside-export/1",
        profile: {
          id: user.id,
          email: user.email,
          emailConfirmedAt: user.emailConfirmedAt,
          pseudonym: user.pseudonym,
          role: user.role,
          createdAt: user.createdAt,
          twoFactorSince: user.totpEnabledAt,
        },
        // What the person agreed to at sign-up (GDPR Art. 9(2)(a)): when, and which version of the privacy notice.
        consent: user.consentAt ? { givenAt: user.consentAt, privacyNoticeVersion: user.consentVersion } : null,
        physicianProfile: p
          ? {
              handle: p.handle,
              fullName: p.fullName,
              credentials: p.credentials,
              specialty: p.specialty,
              licenseNumber: p.licenseNumber,
              jurisdiction: p.jurisdiction,
              status: p.status,
              verifiedAt: p.verifiedAt,
              reviewReason: p.reviewReason,
              reviewNote: p.reviewNote,
              bio: p.bio,
              disclosures: p.disclosures,
              createdAt: p.createdAt,
            }
          : null,
        threads: threads.map((t) => ({
          id: t.id,
          kind: t.kind,
          title: t.title,
          body: t.body,
          category: t.category.name,
          status: t.status,
          moderationReason: t.moderationReason,
          moderationNote: t.moderationNote,
          urgent: t.urgent,
          tags: t.tags,
          references: t.references,
          createdAt: t.createdAt,
          updatedAt: t.updatedAt,
          approvedAt: t.approvedAt,
          withdrawnAt: t.withdrawnAt,
        })),
        replies: replies.map((r) => ({
          id: r.id,
          threadId: r.threadId,
          parentId: r.parentId,
          body: r.body,
          status: r.status,
          moderationReason: r.moderationReason,
          moderationNote: r.moderationNote,
          urgent: r.urgent,
          references: r.references,
          acceptedByAsker: r.acceptedAt,
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
          approvedAt: r.approvedAt,
        })),
        sessions: sessions.map((s) => ({
          id: s.id,
          userAgent: s.userAgent,
          createdAt: s.createdAt,
          expiresAt: s.expiresAt,
          current: s.id === currentHash,
        })),
        flags: flags.map((f) => ({
          id: f.id,
          threadId: f.threadId,
          replyId: f.replyId,
          reason: f.reason,
          note: f.note,
          status: f.status,
          createdAt: f.createdAt,
          resolvedAt: f.resolvedAt,
        })),
        notifications: notifications.map((n) => ({
          message: n.message,
          detail: n.detail,
          url: n.url,
          createdAt: n.createdAt,
          readAt: n.readAt,
        })),
        // Edits you wrote. A moderator's redaction of someone else's post is listed without that post's text.
        revisions: revisions.map((r) => ({
          threadId: r.threadId,
          replyId: r.replyId,
          status: r.status,
          title: r.byModerator ? null : r.title,
          body: r.byModerator ? null : r.body,
          tags: r.byModerator ? null : r.tags,
          references: r.byModerator ? null : r.references,
          redacted: r.redactedAt !== null,
          reason: r.reason,
          createdAt: r.createdAt,
        })),
        subscriptions: subscriptions.map((s) => ({ threadId: s.threadId, createdAt: s.createdAt })),
        emails: emails.map((e) => ({ to: e.to, subject: e.subject, status: e.status, createdAt: e.createdAt, sentAt: e.sentAt })),
        settingsChanges: settingsChanges.map((s) => ({ updatedAt: s.updatedAt })),
        inboxDismissals: dismissals.map((d) => ({ threadId: d.threadId, createdAt: d.createdAt })),
        agreements: agreements.map((a) => ({ replyId: a.replyId, createdAt: a.createdAt })),
        helpfulMarks: helpfulMarks.map((h) => ({ replyId: h.replyId, createdAt: h.createdAt })),
        // Links and codes are listed by when, never by their hashes.
        passwordResets: passwordResets.map((r) => ({ createdAt: r.createdAt, expiresAt: r.expiresAt, usedAt: r.usedAt })),
        emailChanges: emailChanges.map((e) => ({ newEmail: e.newEmail, createdAt: e.createdAt, usedAt: e.usedAt })),
        recoveryCodes: recoveryCodes.map((c) => ({ usedAt: c.usedAt })),
        passwordSetupLinks: setupLinks.map((l) => ({ createdAt: l.createdAt, expiresAt: l.expiresAt, usedAt: l.usedAt })),
        moderationActions: moderationActions.map((m) => ({
          id: String(m.id),
          action: m.action,
          targetType: m.targetType,
          targetId: m.targetId,
          reason: m.reason,
          note: m.note,
          createdAt: m.createdAt,
        })),
      };
    },

    /** Changes the password and ends every other session of this person. */
    async changePassword(viewer: Viewer, currentSessionId: string, current: string, next: string, ip: string): Promise<Result<null>> {
      const me = signedIn(viewer);
      const checked = await checkPassword(me.id, current, ip, "currentPassword");
      if (!checked.ok) return checked;
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
    async deleteAccount(viewer: Viewer, password: string, ip: string): Promise<Result<null>> {
      const me = signedIn(viewer);
      const checked = await checkPassword(me.id, password, ip, "password");
      if (!checked.ok) return checked;
      const tombstone = `deleted-${randomUUID()}`;
      await db.$transaction([
        db.session.deleteMany({ where: { userId: me.id } }),
        db.physicianProfile.deleteMany({ where: { userId: me.id } }),
        db.recoveryCode.deleteMany({ where: { userId: me.id } }),
        db.passwordReset.deleteMany({ where: { userId: me.id } }),
        db.emailChange.deleteMany({ where: { userId: me.id } }),
        db.passwordSetupLink.deleteMany({ where: { userId: me.id } }),
        db.user.update({
          where: { id: me.id },
          data: {
            email: `${tombstone}@deleted.invalid`,
            passwordHash: "",
            pseudonym: "Former member",
            pseudonymKey: tombstone,
            deletedAt: new Date(),
            emailConfirmedAt: null,
            totpSecret: null,
            totpPendingSecret: null,
            totpEnabledAt: null,
          },
        }),
      ]);
      return ok(null);
    },

    /** A verified physician's mail about new questions; null for everyone else. */
    async mailPreferences(viewer: Viewer) {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to see your account.");
      const p = await db.physicianProfile.findUnique({
        where: { userId: viewer.id },
        select: { status: true, questionMail: true, categoryIds: true },
      });
      if (p?.status !== "VERIFIED") return null;
      const categories = await db.category.findMany({ orderBy: { position: "asc" }, select: { id: true, name: true } });
      return {
        questionMail: p.questionMail,
        categories: categories.map((c) => ({ id: c.id, name: c.name, checked: p.categoryIds.includes(c.id) })),
      };
    },

    async setMailPreferences(viewer: Viewer, questionMail: "IMMEDIATE" | "DAILY" | "OFF", categoryIds: number[]): Promise<Result<null>> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to change your mail.");
      const known = await db.category.count({ where: { id: { in: categoryIds } } });
      if (known !== categoryIds.length) return invalid({ categoryIds: "Choose categories from the list." });
      const { count } = await db.physicianProfile.updateMany({
        where: { userId: viewer.id, status: "VERIFIED" },
        data: { questionMail, categoryIds },
      });
      if (count === 0) throw new AppError("FORBIDDEN", "Mail about new questions is for verified physicians.");
      return ok(null);
    },

    /** A physician's public profile text (applicants write it too; it shows once they are verified); null for others. */
    async publicProfile(viewer: Viewer) {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to see your account.");
      const p = await db.physicianProfile.findUnique({
        where: { userId: viewer.id },
        select: { bio: true, disclosures: true, status: true, handle: true },
      });
      if (!p) return null;
      return { bio: p.bio, disclosures: p.disclosures, url: p.status === "VERIFIED" ? `/physicians/${p.handle}` : null };
    },

    async setPublicProfile(viewer: Viewer, text: { bio: string; disclosures: string }): Promise<Result<null>> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to change your profile.");
      const suspended = suspendedForm(viewer, "change your profile", "bio");
      if (suspended) return invalid(suspended, 403);
      const { count } = await db.physicianProfile.updateMany({
        where: { userId: viewer.id },
        data: { bio: text.bio.trim(), disclosures: text.disclosures.trim() },
      });
      if (count === 0) throw new AppError("FORBIDDEN", "A public profile is for physicians. Apply for verification first.");
      return ok(null);
    },

    async overview(viewer: Viewer) {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to see your account.");
      const user = await db.user.findUniqueOrThrow({
        where: { id: viewer.id },
        select: { email: true, pseudonym: true, role: true, createdAt: true, physicianProfile: true },
      });
      const pendingEmail = await db.emailChange.findFirst({
        where: { userId: viewer.id, usedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: "desc" },
        select: { newEmail: true },
      });
      const p = user.physicianProfile;
      const grace = p?.status === "VERIFIED" && p.reverifyBy ? (await loadSettings(db)).verificationGraceDays : 0;
      const overdue = p?.status === "VERIFIED" && verificationStanding(p.reverifyBy, grace) !== "current";
      return {
        email: user.email,
        pendingEmail: pendingEmail?.newEmail ?? null,
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
              isLapsed: p.status === "LAPSED",
              lapsedAt: p.lapsedAt,
              /** Past the re-check date: the badge lapses on `lapsesOn` unless a moderator checks the licence. */
              overdue:
                overdue && p.reverifyBy
                  ? { reverifyBy: p.reverifyBy.toISOString().slice(0, 10), lapsesOn: lapsesOn(p.reverifyBy, grace) }
                  : null,
              reverifyBy: p.reverifyBy?.toISOString().slice(0, 10) ?? null,
              verifiedAt: p.verifiedAt,
              reason: p.reviewReason,
              note: p.reviewNote,
            }
          : null,
      };
    },
  };
}

/** "Firefox on Android" from a user-agent string, or "Unknown browser". */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrome\/|Chromium\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "A browser";
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Mac OS X/.test(userAgent)
        ? "macOS"
        : /Windows/.test(userAgent)
          ? "Windows"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  return system ? `${browser} on ${system}` : browser;
}
