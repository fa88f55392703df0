// Lucia's storage adapter over Prisma. The cookie carries the session secret; the database keeps only its
// SHA-256, so a leaked table cannot be replayed. Sessions also end at an absolute age, whatever the activity.
import { createHash } from "node:crypto";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import { type Database, statement } from "../db/client.ts";
import type { Role, VerificationStatus } from "../generated/prisma/enums.ts";

export const hashSessionId = (sessionId: string): string => createHash("sha256").update(sessionId).digest("hex");

export interface SessionStoreOptions {
  absoluteMs: number;
  now?: () => Date;
}

interface SessionRow {
  id: string;
  userId: string;
  expiresAt: Date;
  createdAt: Date;
  userAgent: string | null;
  authenticatedAt: Date;
  role: Role;
  emailConfirmed: boolean;
  twoFactor: boolean;
  pseudonym: string;
  deletedAt: Date | null;
  suspendedUntil: Date | null;
  silencedUntil: Date | null;
  restrictionMessage: string | null;
  unread: number;
  handle: string | null;
  fullName: string | null;
  credentials: string | null;
  specialty: string | null;
  physicianStatus: string | null;
  verifiedAt: Date | null;
}

const SESSION_AND_USER = statement(
  "session-and-user",
  `SELECT s.id, s."userId", s."expiresAt", s."createdAt", s."userAgent", s."authenticatedAt",
          u."emailConfirmedAt" IS NOT NULL AS "emailConfirmed", u."totpEnabledAt" IS NOT NULL AS "twoFactor",
          u.role::text AS role, u.pseudonym, u."deletedAt", u."suspendedUntil", u."silencedUntil", u."restrictionMessage",
          (SELECT count(*)::int FROM "Notification" n WHERE n."userId" = u.id AND n."readAt" IS NULL) AS unread,
          p.handle, p."fullName", p.credentials, p.specialty, p.status::text AS "physicianStatus", p."verifiedAt"
     FROM "Session" s
     JOIN "User" u ON u.id = s."userId"
     LEFT JOIN "PhysicianProfile" p ON p."userId" = u.id
    WHERE s.id = $1`,
);

export function createSessionStore(db: Database, options: SessionStoreOptions): Adapter {
  const now = options.now ?? (() => new Date());
  return {
    async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      // Every signed-in request starts here: one prepared statement (session, person, badge, unread count).
      const [row] = await db.prepared.rows<SessionRow>(SESSION_AND_USER, [hashSessionId(sessionId)]);
      if (!row) return [null, null];
      if (row.createdAt.getTime() + options.absoluteMs <= now().getTime() || row.deletedAt) {
        await db.session.deleteMany({ where: { id: row.id } });
        return [null, null];
      }
      return [
        {
          id: sessionId,
          userId: row.userId,
          expiresAt: row.expiresAt,
          attributes: { userAgent: row.userAgent, createdAt: row.createdAt, authenticatedAt: row.authenticatedAt },
        },
        {
          id: row.userId,
          attributes: {
            role: row.role,
            emailConfirmed: row.emailConfirmed,
            twoFactor: row.twoFactor,
            pseudonym: row.pseudonym,
            unreadNotifications: row.unread,
            restriction:
              row.suspendedUntil || row.silencedUntil
                ? { suspendedUntil: row.suspendedUntil, silencedUntil: row.silencedUntil, message: row.restrictionMessage }
                : null,
            physician:
              row.handle !== null
                ? {
                    handle: row.handle,
                    fullName: row.fullName as string,
                    credentials: row.credentials as string,
                    specialty: row.specialty as string,
                    status: row.physicianStatus as VerificationStatus,
                    verifiedAt: row.verifiedAt,
                  }
                : null,
          },
        },
      ];
    },
    async getUserSessions(userId) {
      const rows = await db.session.findMany({ where: { userId }, orderBy: { createdAt: "desc" } });
      return rows.map((r) => ({
        id: r.id,
        userId: r.userId,
        expiresAt: r.expiresAt,
        attributes: { userAgent: r.userAgent, createdAt: r.createdAt, authenticatedAt: r.authenticatedAt },
      }));
    },
    async setSession(session) {
      await db.session.create({
        data: {
          id: hashSessionId(session.id),
          userId: session.userId,
          expiresAt: session.expiresAt,
          userAgent: session.attributes.userAgent ?? null,
        },
      });
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      const id = hashSessionId(sessionId);
      const row = await db.session.findUnique({ where: { id }, select: { createdAt: true } });
      if (!row) return;
      // Sliding expiry never extends past the absolute limit.
      const cap = new Date(row.createdAt.getTime() + options.absoluteMs);
      await db.session.updateMany({ where: { id }, data: { expiresAt: expiresAt < cap ? expiresAt : cap } });
    },
    async deleteSession(sessionId) {
      await db.session.deleteMany({ where: { id: hashSessionId(sessionId) } });
    },
    async deleteUserSessions(userId) {
      await db.session.deleteMany({ where: { userId } });
    },
    async deleteExpiredSessions() {
      await db.session.deleteMany({ where: { expiresAt: { lte: now() } } });
    },
  };
}
