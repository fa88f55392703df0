// Writes the append-only moderation audit log. There is deliberately no function here, or anywhere,
// that updates or deletes an entry; the database refuses both as well.
import type { Prisma } from "../generated/prisma/client.ts";
import type { AuditTarget } from "../generated/prisma/enums.ts";

export async function writeAudit(
  tx: Prisma.TransactionClient,
  entry: {
    actorId: string;
    action: string;
    targetType: AuditTarget;
    targetId: string | number;
    reason?: string | null;
    note?: string | null;
  },
): Promise<void> {
  await tx.moderationLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: String(entry.targetId),
      reason: entry.reason ?? null,
      note: entry.note ?? null,
    },
  });
}
