// Threads as readers see them: the home page, categories, a thread page, and a member's own posts. What may be
// written (asking, replying, editing, withdrawing) is in writing.ts; both take the acting viewer.
import { isStaff, type SignedInUser, type Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { type AuthorRow, authorSelect, authorView } from "../posts/authors.ts";
import type { PostEvents } from "../posts/events.ts";
import { typicalWait } from "../posts/typical-wait.ts";
import { replyUrl, threadUrl } from "../posts/urls.ts";
import { ROOTS_PER_PAGE } from "./limits.ts";
import { type CategorySort, summarySelect, threadListPage } from "./lists.ts";
import { readThreadPage, readViewerState, type ViewerState } from "./page-queries.ts";
import { isEditable, type ThreadRead, threadView } from "./page-view.ts";
import { moderationView, postState, threadSummary } from "./view-models.ts";
import { createThreadWriting } from "./writing.ts";

// Kept here for the modules and tests that read them from the threads service.
export { recountThreads, replyPath } from "../posts/activity.ts";
export { describeWait, typicalWait } from "../posts/typical-wait.ts";
export { MAX_DEPTH, ROOTS_PER_PAGE, THREADS_PER_PAGE } from "./limits.ts";
export { CATEGORY_SORTS, type CategorySort, summarySelect } from "./lists.ts";
export type { ReplyNode, ThreadRead } from "./page-view.ts";
export { WITHDRAWN_REPLY, WITHDRAWN_TITLE } from "./writing.ts";

export function createThreadService(db: Database, events: PostEvents) {
  async function categories() {
    const rows = await db.category.findMany({
      orderBy: { position: "asc" },
      select: { id: true, slug: true, name: true, description: true },
    });
    return rows.map((c) => ({ id: c.id, url: `/c/${c.slug}`, slug: c.slug, name: c.name, description: c.description }));
  }

  /** A verified physician a question can be addressed to ("Ask Dr. X"), by handle. */
  async function findAddressee(handle: string) {
    const p = await db.physicianProfile.findFirst({
      where: { handle, status: "VERIFIED", user: { deletedAt: null } },
      select: { userId: true, handle: true, fullName: true, specialty: true },
    });
    return p && { userId: p.userId, handle: p.handle, name: `Dr. ${p.fullName}`, specialty: p.specialty };
  }

  return {
    ...createThreadWriting(db, events, findAddressee),
    categories,
    addressee: findAddressee,

    async home() {
      const [answered, articles, cats] = await Promise.all([
        db.thread.findMany({
          where: { status: "APPROVED", kind: "QUESTION", answeredAt: { not: null }, withdrawnAt: null },
          orderBy: { answeredAt: "desc" },
          take: 10,
          select: summarySelect,
        }),
        db.thread.findMany({
          where: { status: "APPROVED", kind: "ARTICLE" },
          orderBy: { approvedAt: "desc" },
          take: 4,
          select: summarySelect,
        }),
        categories(),
      ]);
      return { answered: answered.map(threadSummary), articles: articles.map(threadSummary), categories: cats };
    },

    async category(slug: string, sort: CategorySort, page: number) {
      const category = await db.category.findUnique({ where: { slug } });
      if (!category) throw notFound("category");
      return {
        category: {
          id: category.id,
          slug: category.slug,
          name: category.name,
          description: category.description,
          url: `/c/${category.slug}`,
        },
        ...(await threadListPage(db, { categoryId: category.id }, sort, page)),
      };
    },

    /** The site-wide lists: "latest" (newest activity first) and "unanswered" (newest question first). */
    list: (which: "latest" | "unanswered", page: number) => threadListPage(db, {}, which === "latest" ? "activity" : "unanswered", page),

    /** A thread with one page of its replies, as `viewer` may see it. Unknown and invisible threads are 404. */
    async threadPage(viewer: Viewer, id: number, page: number) {
      return threadView(db, viewer, await readThreadPage(db, viewer, id, page, ROOTS_PER_PAGE), page);
    },

    /** One page of a thread as a signed-out reader sees it, as read: what every signed-in reader's page is built on. */
    async publicThreadRead(id: number, page: number): Promise<ThreadRead | null> {
      const read = await readThreadPage(db, null, id, page, ROOTS_PER_PAGE);
      return read.thread ? read : null;
    },

    /**
     * What is `viewer`'s own on a thread page: null when their page is everyone's page plus their buttons, marks
     * and follow form (see `threadView`), or the page itself when something of theirs awaiting review shows on it.
     */
    async viewerState(viewer: SignedInUser, id: number): Promise<ViewerState | null> {
      if (isStaff(viewer)) return null; // moderators see every post, published or not
      const state = await readViewerState(db, viewer.id, id);
      return state.ownPending ? null : state;
    },

    /** A thread page as `viewer` sees it, from a shared read and their own state (see page.ts). */
    threadView: (viewer: Viewer, read: ThreadRead, page: number, personal?: ViewerState) => threadView(db, viewer, read, page, personal),

    /** The parent a reply form answers, for "Replying to NAME". */
    async replyTarget(viewer: Viewer, threadId: number, replyId: number) {
      const row = await db.reply.findFirst({
        where: { id: replyId, threadId, status: "APPROVED" },
        select: { id: true, author: authorSelect },
      });
      if (!row || !viewer) return null;
      return { id: row.id, authorName: authorView(row.author as AuthorRow).name };
    },

    /** The signed-in person's own posts, with their moderation state, for /account. */
    async myPosts(viewer: Viewer) {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to see your posts.");
      const [threads, replies] = await Promise.all([
        db.thread.findMany({ where: { authorId: viewer.id }, orderBy: { createdAt: "desc" }, take: 50 }),
        db.reply.findMany({
          where: { authorId: viewer.id },
          orderBy: { createdAt: "desc" },
          take: 50,
          include: { thread: { select: { id: true, title: true } } },
        }),
      ]);
      const wait = [...threads, ...replies].some((p) => p.status === "PENDING") ? await typicalWait(db) : null;
      const withWait = (m: ReturnType<typeof moderationView>) => (m?.isPending ? { ...m, typicalWait: wait } : m);
      return {
        threads: threads.map((t) => ({
          title: t.title,
          url: threadUrl(t),
          createdAt: t.createdAt,
          state: postState(t),
          moderation: withWait(moderationView(viewer, t)),
          canEdit: isEditable(t.status) && t.withdrawnAt === null,
          editUrl: `/t/${t.id}/edit`,
        })),
        replies: replies.map((r) => ({
          threadTitle: r.thread.title,
          url: replyUrl(r.thread, r.id),
          createdAt: r.createdAt,
          state: postState(r),
          moderation: withWait(moderationView(viewer, r)),
          canEdit: isEditable(r.status),
          editUrl: `/replies/${r.id}/edit`,
        })),
      };
    },
  };
}

export type ThreadService = ReturnType<typeof createThreadService>;
