// The lists of threads readers browse: a category in one of its orders, and the site-wide "Latest" and
// "Unanswered" lists. Public threads only (approved); every list is cut into pages of THREADS_PER_PAGE.
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { authorSelect } from "../posts/authors.ts";
import { THREADS_PER_PAGE } from "./limits.ts";
import { threadSummary } from "./view-models.ts";

/** How a category can be ordered; "activity" is the default (and what a bad value falls back to). */
export const CATEGORY_SORTS = ["activity", "newest", "unanswered"] as const;
export type CategorySort = (typeof CATEGORY_SORTS)[number];

export const SORT_LABELS: Record<CategorySort, string> = {
  activity: "Latest activity",
  newest: "Newest",
  unanswered: "Unanswered",
};

const UNANSWERED: Prisma.ThreadWhereInput = { kind: "QUESTION", answeredAt: null, withdrawnAt: null };

// Each order ends with id so that a page boundary is stable; each has an index that reads it in order.
const ORDERS: Record<CategorySort, Prisma.ThreadOrderByWithRelationInput[]> = {
  activity: [{ lastActivityAt: "desc" }, { id: "desc" }],
  newest: [{ createdAt: "desc" }, { id: "desc" }],
  unanswered: [{ createdAt: "desc" }, { id: "desc" }],
};

/** The columns a thread card shows. */
export const summarySelect = {
  id: true,
  kind: true,
  title: true,
  body: true,
  createdAt: true,
  answeredAt: true,
  lastActivityAt: true,
  replyCount: true,
  category: { select: { slug: true, name: true } },
  author: authorSelect,
} as const;

/** One page of public threads matching `where`, in `sort`'s order, with the page count. */
export async function threadListPage(db: Database, where: Prisma.ThreadWhereInput, sort: CategorySort, page: number) {
  const filter: Prisma.ThreadWhereInput = { ...where, status: "APPROVED", ...(sort === "unanswered" ? UNANSWERED : {}) };
  const [total, rows] = await Promise.all([
    db.thread.count({ where: filter }),
    db.thread.findMany({
      where: filter,
      orderBy: ORDERS[sort],
      skip: (page - 1) * THREADS_PER_PAGE,
      take: THREADS_PER_PAGE,
      select: summarySelect,
    }),
  ]);
  return { threads: rows.map(threadSummary), total, page, pageCount: Math.max(1, Math.ceil(total / THREADS_PER_PAGE)) };
}
