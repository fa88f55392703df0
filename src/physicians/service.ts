// Verified physicians, as the public sees them.
import type { Database } from "../db/client.ts";

export function createPhysicianService(db: Database) {
  return {
    async listVerified() {
      const rows = await db.physicianProfile.findMany({
        where: { status: "VERIFIED", user: { deletedAt: null } },
        orderBy: { fullName: "asc" },
        select: { handle: true, fullName: true, credentials: true, specialty: true, verifiedAt: true },
      });
      return rows.map((p) => ({
        handle: p.handle,
        name: `Dr. ${p.fullName}`,
        credentials: p.credentials,
        specialty: p.specialty,
        verifiedAt: p.verifiedAt,
      }));
    },
  };
}
