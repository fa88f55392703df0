// Members and roles, for admins: find a member by pseudonym or email, and move them between patient, moderator
// and admin with a reason that goes into the audit log. The last admin can never be demoted.
import { can } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { AppError, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { writeAudit } from "../moderation/audit.ts";

export const MEMBERS_SHOWN = 50;

export interface MemberRow {
  id: string;
  pseudonym: string;
  email: string;
  role: Role;
  createdAt: Date;
  suspendedUntil: Date | null;
  physicianStatus: string | null;
}

function requireManager(viewer: Viewer) {
  if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in as an admin to manage members.");
  if (!can(viewer, "manageMembers")) throw new AppError("FORBIDDEN", "Only admins can manage members and roles.");
  return viewer;
}

const memberSelect = {
  id: true,
  pseudonym: true,
  email: true,
  role: true,
  createdAt: true,
  suspendedUntil: true,
  physicianProfile: { select: { status: true } },
} as const;

export function createMembersService(db: Database) {
  return {
    /** Members whose pseudonym or email contains `q`; without `q`, the moderators and admins. */
    async find(viewer: Viewer, q: string | undefined): Promise<MemberRow[]> {
      requireManager(viewer);
      const rows = await db.user.findMany({
        where: {
          deletedAt: null,
          ...(q
            ? { OR: [{ pseudonym: { contains: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }] }
            : { role: { in: ["MODERATOR", "ADMIN"] } }),
        },
        orderBy: [{ pseudonymKey: "asc" }],
        take: MEMBERS_SHOWN,
        select: memberSelect,
      });
      return rows.map(({ physicianProfile, ...r }) => ({ ...r, physicianStatus: physicianProfile?.status ?? null }));
    },

    /**
     * Changes a member's role. Demoting an admin locks every admin row first (FOR UPDATE), so two admins
     * demoting each other at once are serialised and the second sees that only one admin is left.
     */
    async changeRole(
      viewer: Viewer,
      memberId: string,
      input: { role: "PATIENT" | "MODERATOR" | "ADMIN"; reason: string },
    ): Promise<Result<{ from: Role; to: Role }>> {
      const admin = requireManager(viewer);
      return db.$transaction(async (tx) => {
        const member = await tx.user.findFirst({ where: { id: memberId, deletedAt: null }, select: { role: true } });
        if (!member) throw notFound("member");
        if (member.role === input.role) return invalid({ role: "That is already this member's role." }, 409);
        // A physician's role follows their verification, which has its own review.
        if (member.role === "PHYSICIAN") {
          return invalid({ role: "A physician's role follows their verification; change it from the physicians' review." }, 409);
        }
        if (member.role === "ADMIN") {
          const admins = await tx.$queryRaw<{ id: string }[]>`
            SELECT id FROM "User" WHERE role = 'ADMIN' AND "deletedAt" IS NULL ORDER BY id FOR UPDATE`;
          if (admins.length <= 1) return invalid({ role: "This is the last admin: make someone else an admin first." }, 409);
        }
        // Guarded by the role we read: a change made meanwhile by another admin wins, and this one is refused.
        const { count } = await tx.user.updateMany({
          where: { id: memberId, role: member.role, deletedAt: null },
          data: { role: input.role },
        });
        if (count !== 1) return invalid({ role: "Someone changed this member's role just now. Look again." }, 409);
        await writeAudit(tx, {
          actorId: admin.id,
          action: "role.change",
          targetType: "USER",
          targetId: memberId,
          reason: input.reason,
          note: `${member.role} → ${input.role}`,
        });
        return ok({ from: member.role, to: input.role });
      });
    },
  };
}
