// Site-wide moderation rules: how patient posts are held, watched words, first-day and hourly limits, rejection
// reasons, and what reports do. Admins change them; every post and every queue view reads them.
import { suspendedForm } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { FlagAction } from "../generated/prisma/enums.ts";
import { AppError, invalid, ok, type Result } from "../lib/errors.ts";
import { escapeRegExp } from "../lib/regexp.ts";
import { writeAudit } from "../moderation/audit.ts";
import { DEFAULT_REJECTION_REASONS, type SettingsInput } from "./schemas.ts";

export interface Settings {
  /** 0: hold every patient post; N: publish without review once the author has N approved posts. */
  trustAfterApproved: number;
  holdLinksAt: number;
  watchedHold: string[];
  watchedBlock: string[];
  newAccountQuestions: number;
  newAccountReplies: number;
  /** Every account, past its first day too: questions and replies in any hour. */
  questionsPerHour: number;
  repliesPerHour: number;
  /** The list moderators choose from; "Other" (with text) is always added after these. */
  rejectionReasons: string[];
  flagThreshold: number;
  flagAction: FlagAction;
  /** Days past a verification's re-check date before its badge lapses. */
  verificationGraceDays: number;
}

export const DEFAULT_SETTINGS: Settings = {
  trustAfterApproved: 0,
  holdLinksAt: 2,
  watchedHold: [],
  watchedBlock: [],
  newAccountQuestions: 3,
  newAccountReplies: 10,
  questionsPerHour: 10,
  repliesPerHour: 30,
  rejectionReasons: DEFAULT_REJECTION_REASONS,
  flagThreshold: 3,
  flagAction: "ESCALATE",
  verificationGraceDays: 30,
};

/** A new account's first day, during which the first-day limits apply. */
export const NEW_ACCOUNT_MS = 24 * 60 * 60 * 1000;

export async function loadSettings(db: Pick<Database, "siteSettings">): Promise<Settings> {
  return settingsOf(await db.siteSettings.findUnique({ where: { id: 1 } }));
}

/** The rules from the settings row (which also says who changed it and when), or the defaults before any change. */
export function settingsOf(row: Settings | null): Settings {
  if (!row) return DEFAULT_SETTINGS;
  return {
    trustAfterApproved: row.trustAfterApproved,
    holdLinksAt: row.holdLinksAt,
    watchedHold: row.watchedHold,
    watchedBlock: row.watchedBlock,
    newAccountQuestions: row.newAccountQuestions,
    newAccountReplies: row.newAccountReplies,
    questionsPerHour: row.questionsPerHour,
    repliesPerHour: row.repliesPerHour,
    rejectionReasons: row.rejectionReasons,
    flagThreshold: row.flagThreshold,
    flagAction: row.flagAction,
    verificationGraceDays: row.verificationGraceDays ?? DEFAULT_SETTINGS.verificationGraceDays,
  };
}

/** The reasons offered when rejecting: the configured list, then "Other". */
export const rejectionChoices = (settings: Settings): string[] => [...settings.rejectionReasons.filter((r) => r !== "Other"), "Other"];

/** The watched words or phrases found in a text, matched whole and without regard to case. */
export function findWatched(text: string, words: readonly string[]): string[] {
  return words.filter((word) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(word)}($|[^\\p{L}\\p{N}])`, "iu").test(text));
}

export const countLinks = (text: string): number => text.match(/https?:\/\/\S+/gi)?.length ?? 0;

/** Whether moderators and admins must use two-factor sign-in: the admins' choice, or the deployment's default. */
export async function staffTwoFactorRequired(db: Pick<Database, "siteSettings">, byDefault: boolean): Promise<boolean> {
  const row = await db.siteSettings.findUnique({ where: { id: 1 }, select: { requireStaffTwoFactor: true } });
  return row?.requireStaffTwoFactor ?? byDefault;
}

function requireAdmin(viewer: Viewer) {
  if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in as an admin to change the settings.");
  if (viewer.role !== "ADMIN") throw new AppError("FORBIDDEN", "Only admins can change the moderation settings.");
  return viewer;
}

export function createSettingsService(db: Database) {
  return {
    /** Requires (or stops requiring) two-factor sign-in for moderators and admins. */
    async setStaffTwoFactor(viewer: Viewer, on: boolean): Promise<void> {
      const admin = requireAdmin(viewer);
      const current = await loadSettings(db);
      const { rejectionReasons, ...rest } = current;
      await db.$transaction(async (tx) => {
        await tx.siteSettings.upsert({
          where: { id: 1 },
          create: { id: 1, ...rest, rejectionReasons, requireStaffTwoFactor: on, updatedById: admin.id },
          update: { requireStaffTwoFactor: on, updatedAt: new Date(), updatedById: admin.id },
        });
        await writeAudit(tx, {
          actorId: admin.id,
          action: "settings",
          targetType: "SETTINGS",
          targetId: 1,
          note: `two-factor sign-in for staff: ${on ? "required" : "optional"}`,
        });
      });
    },

    async forEditing(viewer: Viewer) {
      requireAdmin(viewer);
      const row = await db.siteSettings.findUnique({ where: { id: 1 }, include: { updatedBy: { select: { pseudonym: true } } } });
      return { settings: await loadSettings(db), updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy?.pseudonym ?? null };
    },

    async update(viewer: Viewer, input: SettingsInput): Promise<Result<void>> {
      const admin = requireAdmin(viewer);
      // A suspended admin reads the page but changes nothing; the form comes back with what they typed.
      const suspended = suspendedForm(admin, "change the settings");
      if (suspended) return invalid(suspended, 403);
      const data = {
        trustAfterApproved: input.holdMode === "all" ? 0 : Number(input.trustAfterApproved),
        holdLinksAt: input.holdLinksAt,
        watchedHold: input.watchedHold,
        watchedBlock: input.watchedBlock,
        newAccountQuestions: input.newAccountQuestions,
        newAccountReplies: input.newAccountReplies,
        questionsPerHour: input.questionsPerHour,
        repliesPerHour: input.repliesPerHour,
        rejectionReasons: input.rejectionReasons.filter((r) => r.toLowerCase() !== "other"),
        flagThreshold: input.flagThreshold,
        flagAction: input.flagAction,
        verificationGraceDays: input.verificationGraceDays,
        updatedAt: new Date(),
        updatedById: admin.id,
      };
      await db.$transaction(async (tx) => {
        await tx.siteSettings.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
        await writeAudit(tx, {
          actorId: admin.id,
          action: "settings",
          targetType: "SETTINGS",
          targetId: 1,
          note: `hold: ${data.trustAfterApproved === 0 ? "every patient post" : `until ${data.trustAfterApproved} approved`}; links ≥ ${data.holdLinksAt}; ${data.watchedHold.length} held words, ${data.watchedBlock.length} blocked; first day ${data.newAccountQuestions} questions / ${data.newAccountReplies} replies; per hour ${data.questionsPerHour} questions / ${data.repliesPerHour} replies; ${data.rejectionReasons.length} reasons; ${data.flagThreshold} reports → ${data.flagAction.toLowerCase()}; verification grace ${data.verificationGraceDays} days`,
        });
      });
      return ok(undefined);
    },
  };
}
