// What the guard needs to know about the forum: the verified physicians, whom a post may name.
import type { Database } from "../db/client.ts";
import type { IdentifyingContext } from "./identifying.ts";

export function createSafetyService(db: Database) {
  return {
    /** The context for a review. One small query per post sent: a stale list would flag a new physician. */
    async context(): Promise<IdentifyingContext> {
      const rows = await db.physicianProfile.findMany({
        where: { status: "VERIFIED", user: { deletedAt: null } },
        select: { fullName: true },
      });
      return { physicians: rows.map((r) => r.fullName) };
    },
  };
}

export type SafetyService = ReturnType<typeof createSafetyService>;
