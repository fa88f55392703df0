// Where a physician's verification stands against its re-check date: current, overdue (past the date: moderators
// are told everywhere they see the physician), or lapsed (past the date and the admins' grace period: no badge,
// and no power a verified physician has, until a moderator checks the licence again).

export type VerificationStanding = "current" | "overdue" | "lapsed";

const DAY_MS = 24 * 60 * 60 * 1000;

/** `reverifyBy` is a date (midnight UTC); the verification is overdue once that day has begun. */
export function verificationStanding(reverifyBy: Date | null, graceDays: number, now = new Date()): VerificationStanding {
  if (!reverifyBy) return "current";
  if (now.getTime() < reverifyBy.getTime()) return "current";
  return now.getTime() < reverifyBy.getTime() + graceDays * DAY_MS ? "overdue" : "lapsed";
}

/** The day a verification lapses, as "2026-12-31". */
export function lapsesOn(reverifyBy: Date, graceDays: number): string {
  return new Date(reverifyBy.getTime() + graceDays * DAY_MS).toISOString().slice(0, 10);
}
