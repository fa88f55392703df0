// Where a physician's verification stands against its re-check date: current, overdue (past the date: moderators
// are told everywhere they see the physician), or lapsed (past the date and the admins' grace period: no badge,
// and no power a verified physician has, until a moderator checks the licence again).

export type VerificationStanding = "current" | "overdue" | "lapsed";

const DAY_MS = 24 * 60 * 60 * 1000;

/** `reverifyBy` is a date (midnight UTC); the verification is due for a new check once that day has begun. */
export const pastRecheck = (reverifyBy: Date | null, now = new Date()): reverifyBy is Date =>
  !!reverifyBy && now.getTime() >= reverifyBy.getTime();

export function verificationStanding(reverifyBy: Date | null, graceDays: number, now = new Date()): VerificationStanding {
  if (!pastRecheck(reverifyBy, now)) return "current";
  return now.getTime() < reverifyBy.getTime() + graceDays * DAY_MS ? "overdue" : "lapsed";
}

/** The day a verification lapses, as "2026-12-31". */
export function lapsesOn(reverifyBy: Date, graceDays: number): string {
  return new Date(reverifyBy.getTime() + graceDays * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Where a licence was checked, said once: "Public register of Ontario, Canada (CPSO)" already names its
 * jurisdiction "Ontario, Canada (CPSO)", so the jurisdiction is added only when the registry's name lacks it.
 */
export function registryLabel(registry: string, jurisdiction: string): string {
  const fold = (s: string) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  if (jurisdiction.trim() === "" || fold(registry).includes(fold(jurisdiction))) return registry;
  return `${registry} (${jurisdiction})`;
}
