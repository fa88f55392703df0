// Lucia's storage adapter over Prisma. The cookie carries the session secret; the database keeps only its
// SHA-256, so a leaked table cannot be replayed. Sessions also end at an absolute age, whatever the activity.
import { createHash } from "node:crypto";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import type { Database } from "../db/client.ts";

export const hashSessionId = (sessionId: string): string => createHash("sha256").update(sessionId).digest("hex");

export interface SessionStoreOptions {
  absoluteMs: number;
  now?: () => Date;
}

export function createSessionStore(db: Database, options: SessionStoreOptions): Adapter {
  const now = options.now ?? (() => new Date());
  return {
    async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const row = await db.session.findUnique({
        where: { id: hashSessionId(sessionId) },
        include: {
          user: { include: { physicianProfile: true, _count: { select: { notifications: { where: { readAt: null } } } } } },
        },
      });
      if (!row) return [null, null];
      if (row.createdAt.getTime() + options.absoluteMs <= now().getTime() || row.user.deletedAt) {
        await db.session.deleteMany({ where: { id: row.id } });
        return [null, null];
      }
      const { user } = row;
      const profile = user.physicianProfile;
      return [
        { id: sessionId, userId: row.userId, expiresAt: row.expiresAt, attributes: { userAgent: row.userAgent, createdAt: row.createdAt } },
        {
          id: user.id,
          attributes: {
            role: user.role,
            pseudonym: user.pseudonym,
            unreadNotifications: user._count.notifications,
            restriction:
              user.suspendedUntil || user.silencedUntil
                ? { suspendedUntil: user.suspendedUntil, silencedUntil: user.silencedUntil, message: user.restrictionMessage }
                : null,
            physician: profile
              ? {
                  handle: profile.handle,
                  fullName: profile.fullName,
                  credentials: profile.credentials,
                  specialty: profile.specialty,
                  status: profile.status,
                  verifiedAt: profile.verifiedAt,
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
        attributes: { userAgent: r.userAgent, createdAt: r.createdAt },
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
