// A verification that is not checked again in time lapses. Past its re-check date moderators see it as overdue
// (lib/verification.ts); once the admins' grace period has passed too, this sweep turns the profile LAPSED: the
// badge leaves every post at once (badges are read from the profile), the physician's new posts are reviewed,
// and they lose the inbox and articles, until a moderator records a new check (members.ts `recheck`), which
// restores all of it. The physician is told why, in the app and by mail, in the transaction that lapses it.
// Unlike a revocation, nothing they published goes back to the queue: the licence was not found wanting, it
// was not looked at again.
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { lapsesOn } from "../lib/verification.ts";
import { queueMail } from "../mail/outbox.ts";
import { notify } from "../notifications/service.ts";
import { recountThreads, threadsRepliedToBy } from "../posts/activity.ts";
import { loadSettings } from "../settings/service.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Recounts "answered by a physician" on every thread the physician has a public answer in. */
export async function recountAnswersOf(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  for (const threadId of await threadsRepliedToBy(tx, userId)) await recountThreads(tx, threadId);
}

/**
 * Lapses every verification whose re-check date plus the grace period has passed; returns how many. Guarded in
 * its WHERE clause, so two instances sweeping at once lapse (and tell) each physician once.
 */
export async function lapseOverdueVerifications(db: Database, now = new Date()): Promise<number> {
  const { verificationGraceDays } = await loadSettings(db);
  // reverifyBy is a day (midnight UTC); the badge lapses graceDays after that day began.
  const cutoff = new Date(now.getTime() - verificationGraceDays * DAY_MS);
  return db.$transaction(async (tx) => {
    const lapsed = await tx.physicianProfile.updateManyAndReturn({
      where: { status: "VERIFIED", reverifyBy: { lte: cutoff } },
      data: { status: "LAPSED", lapsedAt: now },
      select: { userId: true, reverifyBy: true, user: { select: { email: true, deletedAt: true } } },
    });
    for (const p of lapsed) {
      await recountAnswersOf(tx, p.userId);
      if (p.user.deletedAt) continue;
      const due = p.reverifyBy?.toISOString().slice(0, 10) ?? "";
      await notify(tx, {
        userId: p.userId,
        kind: "VERIFICATION",
        message: "Your verification lapsed: your licence was not checked again in time",
        detail: `Your licence was due for a new check by ${due}, and the ${verificationGraceDays} days' grace ended on ${p.reverifyBy ? lapsesOn(p.reverifyBy, verificationGraceDays) : due}. Until a moderator checks the register again, your posts show no badge and are reviewed before they are public. Nothing you published was taken down.`,
        url: "/account",
      });
      await queueMail(tx, {
        userId: p.userId,
        to: p.user.email,
        subject: "Your Curbside verification lapsed",
        text: `Your licence was due for a new check by ${due} and has not been checked again, so your verified badge is off until a moderator checks it. Nothing you published was taken down. Your account page says more:`,
        path: "/account",
      });
    }
    return lapsed.length;
  });
}

/** Lapses overdue verifications now and then every `everyMs`, without keeping the process alive. */
export function scheduleVerificationLapse(db: Database, log: (message: string) => void, everyMs = 5 * 60 * 1000): () => void {
  const run = async () => {
    try {
      const lapsed = await lapseOverdueVerifications(db);
      if (lapsed > 0) log(`verification: ${lapsed} physician verification(s) lapsed for want of a new check`);
    } catch (error) {
      log(`verification: the lapse sweep failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
