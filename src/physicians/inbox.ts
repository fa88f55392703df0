// The physician inbox: approved questions no verified physician has answered yet. It is a triage list: urgent
// questions first, then those addressed to this physician, then those in the categories they follow, then the
// rest; in each, the one that has waited longest (asked first) comes first.
// "Not for me" takes a question out of this physician's inbox only.
import { assertMayWrite } from "../auth/permissions.ts";
import { isVerifiedPhysician, type Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { excerpt } from "../lib/markdown.ts";
import { threadUrl } from "../posts/urls.ts";

export const INBOX_SIZE = 50;
/** Characters of each question shown under its title: enough to triage without opening it. */
const INBOX_EXCERPT = 240;

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
        {
          id: number;
          title: string;
          body: string;
          urgent: boolean;
          createdAt: Date;
          category: string;
          mine: boolean;
          followed: boolean;
          total: number;
        }[]
      >`
        SELECT t.id, t.title, t.body, t.urgent, t."createdAt", c.name AS category,
          coalesce(t."addressedToId" = ${me.id}::uuid, false) AS mine,
          t."categoryId" = ANY(coalesce(p."categoryIds", '{}')) AS followed,
          count(*) OVER ()::int AS total
        FROM "Thread" t
        JOIN "Category" c ON c.id = t."categoryId"
        LEFT JOIN "PhysicianProfile" p ON p."userId" = ${me.id}::uuid
        WHERE ${waiting(me.id)}
        ORDER BY t.urgent DESC, mine DESC, followed DESC, t."createdAt" ASC, t.id ASC
        LIMIT ${INBOX_SIZE}`;
      return {
        total: rows[0]?.total ?? 0,
        questions: rows.map((r) => ({
          title: r.title,
          url: threadUrl(r),
          excerpt: excerpt(r.body, INBOX_EXCERPT),
          urgent: r.urgent,
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
