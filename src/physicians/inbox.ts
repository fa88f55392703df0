// The physician inbox: approved questions no verified physician has answered yet. Questions addressed to this
// physician come first, then those in the categories they follow, then the rest, oldest first in each.
// "Not for me" takes a question out of this physician's inbox only.
import { assertMayWrite } from "../auth/permissions.ts";
import { isVerifiedPhysician, type Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { threadUrl } from "../posts/urls.ts";

export const INBOX_SIZE = 50;

function requirePhysician(viewer: Viewer) {
  if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to see your inbox.");
  if (!isVerifiedPhysician(viewer)) throw new AppError("FORBIDDEN", "The inbox is for verified physicians.");
  return viewer;
}

const waiting = (me: string) => Prisma.sql`
  t.status = 'APPROVED' AND t.kind = 'QUESTION' AND t."withdrawnAt" IS NULL AND t."answeredAt" IS NULL
  AND t."lockedAt" IS NULL AND t."authorId" <> ${me}::uuid
  AND NOT EXISTS (SELECT 1 FROM "InboxDismissal" d WHERE d."userId" = ${me}::uuid AND d."threadId" = t.id)`;

/** How many questions wait in a physician's inbox, for the header. */
export async function inboxCount(db: Database, userId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Thread" t WHERE ${waiting(userId)}`;
  return row?.n ?? 0;
}

export function createInboxService(db: Database) {
  return {
    async list(viewer: Viewer) {
      const me = requirePhysician(viewer);
      const rows = await db.$queryRaw<
        { id: number; title: string; createdAt: Date; category: string; mine: boolean; followed: boolean; total: number }[]
      >`
        SELECT t.id, t.title, t."createdAt", c.name AS category,
          coalesce(t."addressedToId" = ${me.id}::uuid, false) AS mine,
          t."categoryId" = ANY(coalesce(p."categoryIds", '{}')) AS followed,
          count(*) OVER ()::int AS total
        FROM "Thread" t
        JOIN "Category" c ON c.id = t."categoryId"
        LEFT JOIN "PhysicianProfile" p ON p."userId" = ${me.id}::uuid
        WHERE ${waiting(me.id)}
        ORDER BY mine DESC, followed DESC, t."createdAt" ASC, t.id ASC
        LIMIT ${INBOX_SIZE}`;
      return {
        total: rows[0]?.total ?? 0,
        questions: rows.map((r) => ({
          title: r.title,
          url: threadUrl(r),
          category: r.category,
          askedAt: r.createdAt,
          addressedToMe: r.mine,
          inMyCategories: r.followed,
          dismissAction: `/inbox/${r.id}/not-for-me`,
        })),
      };
    },

    async dismiss(viewer: Viewer, threadId: number): Promise<void> {
      const me = requirePhysician(viewer);
      assertMayWrite(me);
      const thread = await db.thread.findFirst({ where: { id: threadId, status: "APPROVED" }, select: { id: true } });
      if (!thread) throw notFound("question");
      await db.inboxDismissal.upsert({
        where: { userId_threadId: { userId: me.id, threadId } },
        create: { userId: me.id, threadId },
        update: {},
      });
    },
  };
}
