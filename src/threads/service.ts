// Threads and replies: what each viewer may see, asking, replying, and editing a post that is not yet public.
// Every function takes the acting viewer and applies the rules itself.
import { can, canSeeUnpublished, suspendedForm, suspensionMessage, unconfirmedMessage } from "../auth/permissions.ts";
import { isStaff, isVerifiedPhysician, type SignedInUser, type Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { AppError, forbidden, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { questionPublished, replyPublished } from "../notifications/service.ts";
import { referenceList, referencesText, storedReferences } from "../references/references.ts";
import { pendingEdit, proposeEdit } from "../revisions/service.ts";
import { isUrgent } from "../safety/review.ts";
import { decide } from "../settings/holding.ts";
import { readReplyPosition, readThreadPage, readViewerState, type ViewerState } from "./page-queries.ts";
import type { AskInput, EditReplyInput, ReplyInput } from "./schemas.ts";
import { type AuthorRow, authorView, moderationView, threadSummary, threadUrl } from "./view-models.ts";

export const WITHDRAWN_TITLE = "Question withdrawn by its author";
export const WITHDRAWN_REPLY = "[Withdrawn by its author]";

/** Top-level replies per page; their whole sub-threads come with them. */
export const ROOTS_PER_PAGE = 20;
/** Replies nest this many levels (0 … MAX_DEPTH); a reply to the deepest level attaches beside it. */
export const MAX_DEPTH = 4;
export const THREADS_PER_PAGE = 20;

export const authorSelect = {
  select: {
    id: true,
    pseudonym: true,
    deletedAt: true,
    physicianProfile: {
      select: { handle: true, fullName: true, credentials: true, specialty: true, status: true, verifiedAt: true },
    },
  },
} as const;

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

/** The median time from writing to approval over the last 30 days, in words, or null when there is no data. */
export async function typicalWait(db: Database): Promise<string | null> {
  const [row] = await db.$queryRaw<{ seconds: number | null }[]>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS seconds FROM (
      SELECT EXTRACT(EPOCH FROM ("approvedAt" - "createdAt"))::float8 AS seconds FROM "Thread"
        WHERE "approvedAt" >= now() - interval '30 days' AND "approvedAt" > "createdAt"
      UNION ALL
      SELECT EXTRACT(EPOCH FROM ("approvedAt" - "createdAt"))::float8 FROM "Reply"
        WHERE "approvedAt" >= now() - interval '30 days' AND "approvedAt" > "createdAt"
    ) waits`;
  return describeWait(row?.seconds ?? null);
}

export function describeWait(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds)) return null;
  const hours = seconds / 3600;
  if (hours < 1) return "under an hour";
  if (hours < 36) return `about ${Math.round(hours)} hour${Math.round(hours) === 1 ? "" : "s"}`;
  return `about ${Math.round(hours / 24)} days`;
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * The same form sent twice at once: both requests pass the check for an earlier submission, and the second
 * insert breaks the unique submission key. That request answers with the post the first one made.
 */
export function orSubmittedTwin<T, U>(making: Promise<T>, findSubmitted: () => Promise<U | null> | null): Promise<T | U> {
  return making.catch(async (error: unknown) => {
    const same = isUniqueViolation(error) ? await findSubmitted() : null;
    if (!same) throw error;
    return same;
  });
}

/** Rows a viewer may see in place: public ones, their own, or everything for moderators. */
function visibleTo(viewer: Viewer): Prisma.ReplyWhereInput & Prisma.ThreadWhereInput {
  if (isStaff(viewer)) return {};
  if (viewer) return { OR: [{ status: "APPROVED" }, { authorId: viewer.id }] };
  return { status: "APPROVED" };
}

/**
 * Recomputes reply counts, last activity and "answered" time from approved replies: for one thread, or for
 * every thread when no id is given.
 */
export async function recountThreads(tx: Prisma.TransactionClient, threadId?: number): Promise<void> {
  const onlyOne = threadId === undefined ? Prisma.empty : Prisma.sql`WHERE th.id = ${threadId}`;
  await tx.$executeRaw`
    UPDATE "Thread" t SET
      "replyCount" = s.n,
      "lastActivityAt" = GREATEST(COALESCE(t."approvedAt", t."createdAt"), COALESCE(s.last, t."createdAt")),
      "answeredAt" = s.answered
    FROM (
      SELECT th.id, count(r.id)::int AS n, max(r."approvedAt") AS last,
             min(r."approvedAt") FILTER (WHERE p.status = 'VERIFIED') AS answered
      FROM "Thread" th
      LEFT JOIN "Reply" r ON r."threadId" = th.id AND r.status = 'APPROVED'
      LEFT JOIN "PhysicianProfile" p ON p."userId" = r."authorId"
      ${onlyOne}
      GROUP BY th.id
    ) s
    WHERE t.id = s.id`;
}

/** Posts their author may edit: waiting, sent back, or published (a published post's edit goes to review); not hidden ones. */
const isEditable = (status: string) => status === "PENDING" || status === "REJECTED" || status === "APPROVED";

/** A reply's position in its thread: zero-padded ids from its top-level reply down to itself. */
export function replyPath(parent: { path: string } | null, id: number): string {
  const own = String(id).padStart(10, "0");
  return parent ? `${parent.path}.${own}` : own;
}

/**
 * What an approved reply changes: its thread's counts, activity, and "answered" for a physician's reply; and
 * the notifications and mail it causes.
 */
export async function applyReplyPublished(
  tx: Prisma.TransactionClient,
  reply: { id: number; threadId: number; authorId: string; parentId: number | null },
  at: Date,
): Promise<void> {
  await replyPublished(tx, reply);
  const author = await tx.physicianProfile.findUnique({ where: { userId: reply.authorId }, select: { status: true } });
  await tx.thread.update({
    where: { id: reply.threadId },
    data: { replyCount: { increment: 1 }, lastActivityAt: at },
  });
  if (author?.status === "VERIFIED") {
    await tx.thread.updateMany({ where: { id: reply.threadId, answeredAt: null }, data: { answeredAt: at } });
  }
}

/** One page of a thread as read from the database (see page-queries.ts). */
export type ThreadRead = Awaited<ReturnType<typeof readThreadPage>>;

export interface ReplyNode {
  id: number;
  anchor: string;
  author: ReturnType<typeof authorView>;
  body: string;
  createdAt: Date;
  depth: number;
  isPhysicianAnswer: boolean;
  canEdit: boolean;
  hasPendingEdit: boolean;
  canReply: boolean;
  canReport: boolean;
  reportUrl: string;
  replyUrl: string;
  editUrl: string;
  moderation: ReturnType<typeof moderationView>;
  references: ReturnType<typeof referenceList>;
  /** The person who asked marked this "answered my question". */
  isAccepted: boolean;
  /** Signals on a published physician's answer: patients' "helpful", other physicians' "agree", the asker's mark. */
  signals: {
    action: string;
    helpful: { count: number; marked: boolean; canMark: boolean };
    agree: { count: number; names: { name: string; url: string }[]; agreed: boolean; canAgree: boolean };
    accept: { can: boolean; accepted: boolean };
  } | null;
  children: ReplyNode[];
}

/**
 * The address of a reply: its thread's page that shows it (the pages' order puts the accepted answer's
 * top-level reply first, then the rest by id) and its anchor.
 */
export async function urlOfReply(
  db: Database,
  viewer: Viewer,
  thread: { id: number; title: string },
  reply: { id: number; rootId: number | null },
): Promise<string> {
  const position = await readReplyPosition(db, viewer, thread.id, reply.rootId ?? reply.id);
  const page = Math.max(1, Math.ceil(position / ROOTS_PER_PAGE));
  return `${threadUrl(thread)}${page > 1 ? `?page=${page}` : ""}#reply-${reply.id}`;
}

/** The answer the asker marked as answering their question, if it is on this page, for a link above the replies. */
function acceptedLink(roots: ReplyNode[]): { anchor: string; authorName: string } | null {
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop() as ReplyNode;
    if (node.isAccepted && !node.moderation) return { anchor: node.anchor, authorName: node.author.name };
    stack.push(...node.children);
  }
  return null;
}

export function createThreadService(db: Database) {
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

  /**
   * A thread page's view-model for `viewer` from what was read: for them (`readThreadPage` with their id), or for
   * everyone (a signed-out read) together with their own state (`viewerState`), when the two pages differ only in
   * what `personal` and their role decide: buttons, marks and the follow form.
   */
  async function threadView(viewer: Viewer, read: ThreadRead, page: number, personal?: ViewerState) {
    const { thread, total, replies: rows } = read;
    if (!thread) throw notFound("thread");
    const pageCount = Math.max(1, Math.ceil(total / ROOTS_PER_PAGE));
    const isAsker = !!viewer && viewer.id === thread.authorId && thread.kind === "QUESTION" && thread.withdrawnAt === null;
    const threadOpen = thread.status === "APPROVED" && thread.withdrawnAt === null && thread.lockedAt === null;
    // The viewer's own edits awaiting review here: the approved version shows until a moderator decides.
    const editWaiting = new Set(thread.edits.map((e) => (e.t ? `t${e.t}` : `r${e.r}`)));
    // Made once: its slug costs a Unicode normalisation, which every reply's "Reply" link would repeat.
    const url = threadUrl(thread);
    const nodes = new Map<number, ReplyNode>();
    const roots: ReplyNode[] = [];
    for (const row of rows) {
      const author = authorView(row.author);
      const isPublishedAnswer = author.badge !== null && row.status === "APPROVED" && thread.status === "APPROVED";
      const isOwnReply = viewer?.id === row.authorId;
      const agreeing = row.agreements.map(authorView).filter((a) => a.badge);
      const node: ReplyNode = {
        id: row.id,
        anchor: `reply-${row.id}`,
        author,
        body: row.body,
        createdAt: row.createdAt,
        depth: row.depth,
        isPhysicianAnswer: author.badge !== null,
        canEdit: isOwnReply && isEditable(row.status),
        hasPendingEdit: editWaiting.has(`r${row.id}`),
        canReply: threadOpen && row.status === "APPROVED",
        canReport: !!viewer && !isOwnReply && row.status === "APPROVED",
        reportUrl: `/replies/${row.id}/report`,
        // Short (it is on every reply): /t/:id serves the same page as the slugged address.
        replyUrl: `/t/${thread.id}?${page > 1 ? `page=${page}&` : ""}replyto=${row.id}#reply-form`,
        editUrl: `/replies/${row.id}/edit`,
        moderation: moderationView(viewer, row),
        references: referenceList(row.references),
        isAccepted: row.acceptedAt !== null && row.status === "APPROVED",
        signals: isPublishedAnswer
          ? {
              action: `/replies/${row.id}`,
              helpful: {
                count: row.helpfulCount,
                marked: personal ? personal.marked.has(row.id) : row.marked,
                canMark: !isOwnReply && can(viewer, "markHelpful"),
              },
              agree: {
                count: agreeing.length,
                names: agreeing.map((a) => ({ name: a.name, url: `/physicians/${a.badge?.handle}` })),
                agreed: !!viewer && row.agreements.some((a) => a.id === viewer.id),
                canAgree: !isOwnReply && can(viewer, "agree"),
              },
              accept: { can: isAsker, accepted: row.acceptedAt !== null },
            }
          : null,
        children: [],
      };
      nodes.set(row.id, node);
      if (row.parentId === null) roots.push(node);
      else nodes.get(row.parentId)?.children.push(node); // a reply under a post this viewer can't see stays out
    }
    // The typical wait is worth a query only when this viewer has a post awaiting review here.
    const threadModeration = moderationView(viewer, thread);
    const waiting = [threadModeration, ...[...nodes.values()].map((n) => n.moderation)].filter((m) => m?.isPending);
    if (waiting.length > 0) {
      const wait = await typicalWait(db);
      for (const m of waiting) if (m) m.typicalWait = wait;
    }
    return {
      thread: {
        id: thread.id,
        url,
        kind: thread.kind,
        isArticle: thread.kind === "ARTICLE",
        title: thread.title,
        body: thread.body,
        createdAt: thread.createdAt,
        category: { url: `/c/${thread.category.slug}`, name: thread.category.name },
        author: authorView(thread.author),
        addressedTo: thread.addressedTo ? authorView(thread.addressedTo) : null,
        isAnswered: thread.answeredAt !== null,
        replyCount: thread.replyCount,
        canEdit: viewer?.id === thread.authorId && isEditable(thread.status) && thread.withdrawnAt === null,
        hasPendingEdit: editWaiting.has(`t${thread.id}`),
        editUrl: thread.kind === "ARTICLE" ? `/articles/${thread.id}/edit` : `/t/${thread.id}/edit`,
        tags: thread.tags.map((tag) => ({ name: tag, url: `/articles?tag=${encodeURIComponent(tag)}` })),
        references: referenceList(thread.references),
        /** "Ask Dr. X" under an article: a question of one's own, addressed to its author. */
        askUrl:
          thread.kind === "ARTICLE" && thread.author.physicianProfile?.status === "VERIFIED"
            ? `/ask?to=${thread.author.physicianProfile.handle}`
            : null,
        historyUrl: thread.kind === "ARTICLE" && thread.status === "APPROVED" ? `/articles/${thread.id}/history` : null,
        updatedAt:
          thread.kind === "ARTICLE" && thread.updatedAt.getTime() - (thread.approvedAt ?? thread.createdAt).getTime() > 60_000
            ? thread.updatedAt
            : null,
        accepted: acceptedLink(roots),
        moderation: threadModeration,
        isOpen: threadOpen,
        isWithdrawn: thread.withdrawnAt !== null,
        isLocked: thread.lockedAt !== null,
        canLock: isStaff(viewer) && thread.status === "APPROVED",
        lockUrl: `/moderation/threads/${thread.id}/${thread.lockedAt ? "unlock" : "lock"}`,
        canWithdraw: viewer?.id === thread.authorId && thread.kind === "QUESTION" && thread.withdrawnAt === null,
        withdrawUrl: `/t/${thread.id}/withdraw`,
        canReport: !!viewer && viewer.id !== thread.authorId && thread.status === "APPROVED",
        reportUrl: `/t/${thread.id}/report`,
      },
      replies: roots,
      /** Every reply read, by id: the reply list fills each reader's slots from it (reply-list.ts). */
      replyById: nodes as ReadonlyMap<number, ReplyNode>,
      /** Verified physicians cite DOIs and PubMed IDs under their answers. */
      canCite: isVerifiedPhysician(viewer),
      // The shared (signed-out) read follows nothing: a reader's own state says whether they follow.
      following: personal ? personal.following : thread.following,
      page,
      pageCount,
      rootCount: total,
    };
  }

  return {
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

    async category(slug: string, page: number) {
      const category = await db.category.findUnique({ where: { slug } });
      if (!category) throw notFound("category");
      const where: Prisma.ThreadWhereInput = { categoryId: category.id, status: "APPROVED" };
      const [total, rows] = await Promise.all([
        db.thread.count({ where }),
        db.thread.findMany({
          where,
          orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
          skip: (page - 1) * THREADS_PER_PAGE,
          take: THREADS_PER_PAGE,
          select: summarySelect,
        }),
      ]);
      return {
        category: {
          id: category.id,
          slug: category.slug,
          name: category.name,
          description: category.description,
          url: `/c/${category.slug}`,
        },
        threads: rows.map(threadSummary),
        total,
        page,
        pageCount: Math.max(1, Math.ceil(total / THREADS_PER_PAGE)),
      };
    },

    /** A thread with one page of its replies, as `viewer` may see it. Unknown and invisible threads are 404. */
    async threadPage(viewer: Viewer, id: number, page: number) {
      return threadView(viewer, await readThreadPage(db, viewer, id, page, ROOTS_PER_PAGE), page);
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

    threadView,
    async ask(viewer: Viewer, input: AskInput): Promise<Result<{ threadId: number; published: boolean }>> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to ask a question.");
      const unconfirmed = unconfirmedMessage(viewer);
      if (unconfirmed) return invalid({ _form: unconfirmed }, 403);
      const suspended = suspensionMessage(viewer);
      if (suspended || !can(viewer, "ask")) return invalid({ _form: suspended ?? "You can't ask questions right now." }, 403);
      const category = await db.category.findUnique({ where: { id: input.categoryId }, select: { id: true } });
      if (!category) return invalid({ categoryId: "Choose a category from the list." });
      const addressee = input.to ? await findAddressee(input.to) : null;
      if (input.to && !addressee)
        return invalid({
          to: "That physician can't take addressed questions right now. Your text is kept: send it to all physicians, or choose another.",
        });
      // The same form sent twice (a double click, a retried request) answers with the thread already made.
      const key = input._submission;
      const findSubmitted = () =>
        key
          ? db.thread.findUnique({
              where: { authorId_submissionKey: { authorId: viewer.id, submissionKey: key } },
              select: { id: true, status: true },
            })
          : null;
      const earlier = await findSubmitted();
      if (earlier) return ok({ threadId: earlier.id, published: earlier.status === "APPROVED" });
      const urgent = isUrgent(input.title, input.body);
      const verdict = await decide(db, viewer, "question", { title: input.title, body: input.body }, urgent);
      if (verdict.refused) return invalid(verdict.refused.errors, verdict.refused.status);
      const published = verdict.publish;
      const now = new Date();
      const thread = await orSubmittedTwin(
        db.$transaction(async (tx) => {
          const created = await tx.thread.create({
            data: {
              kind: "QUESTION",
              title: input.title,
              body: input.body,
              categoryId: category.id,
              authorId: viewer.id,
              status: published ? "APPROVED" : "PENDING",
              approvedAt: published ? now : null,
              createdAt: now,
              updatedAt: now,
              lastActivityAt: now,
              submissionKey: key,
              urgent,
              addressedToId: addressee?.userId ?? null,
            },
            select: { id: true, status: true, title: true, categoryId: true, authorId: true, kind: true, addressedToId: true },
          });
          // The asker hears about replies by mail unless they turn it off on the thread.
          await tx.threadSubscription.create({ data: { userId: viewer.id, threadId: created.id } });
          if (published) await questionPublished(tx, created);
          return created;
        }),
        findSubmitted,
      );
      return ok({ threadId: thread.id, published: thread.status === "APPROVED" });
    },

    async reply(viewer: Viewer, threadId: number, input: ReplyInput): Promise<Result<{ replyId: number; url: string }>> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to reply.");
      const unconfirmed = unconfirmedMessage(viewer);
      if (unconfirmed) return invalid({ _form: unconfirmed }, 403);
      const suspended = suspensionMessage(viewer);
      if (suspended || !can(viewer, "reply")) return invalid({ _form: suspended ?? "You can't reply right now." }, 403);
      const thread = await db.thread.findFirst({
        where: { id: threadId, ...visibleTo(viewer) },
        select: { id: true, title: true, status: true, withdrawnAt: true, lockedAt: true },
      });
      if (!thread) throw notFound("thread");
      const replyUrl = (reply: { id: number; rootId: number | null }) => urlOfReply(db, viewer, thread, reply);
      const key = input._submission;
      const findSubmitted = () =>
        key
          ? db.reply.findUnique({
              where: { authorId_submissionKey: { authorId: viewer.id, submissionKey: key } },
              select: { id: true, rootId: true },
            })
          : null;
      const earlier = await findSubmitted();
      if (earlier) return ok({ replyId: earlier.id, url: await replyUrl(earlier) });
      if (thread.status !== "APPROVED") {
        return invalid({ _form: "Replies open once this question has been approved by a moderator." }, 409);
      }
      if (thread.withdrawnAt) return invalid({ _form: "This question was withdrawn by its author, so it takes no new replies." }, 409);
      if (thread.lockedAt) return invalid({ _form: "A moderator locked this thread, so it takes no new replies." }, 409);
      let parent: { id: number; depth: number; path: string; rootId: number | null; parentId: number | null } | null = null;
      if (input.parentId !== null) {
        parent = await db.reply.findFirst({
          where: { id: input.parentId, threadId, status: "APPROVED" },
          select: { id: true, depth: true, path: true, rootId: true, parentId: true },
        });
        if (!parent)
          return invalid({
            _form: "The reply you were answering is no longer available. Your text is below; you can post it to the thread.",
          });
        // Deeper than the deepest level shown: attach beside the reply being answered.
        if (parent.depth >= MAX_DEPTH && parent.parentId !== null) {
          parent = await db.reply.findUniqueOrThrow({
            where: { id: parent.parentId },
            select: { id: true, depth: true, path: true, rootId: true, parentId: true },
          });
        }
      }
      const urgent = isUrgent(input.body);
      const verdict = await decide(db, viewer, "reply", { body: input.body }, urgent);
      if (verdict.refused) return invalid(verdict.refused.errors, verdict.refused.status);
      const published = verdict.publish;
      const now = new Date();
      const reply = await orSubmittedTwin(
        db.$transaction(async (tx) => {
          const created = await tx.reply.create({
            data: {
              threadId,
              parentId: parent?.id ?? null,
              depth: parent ? parent.depth + 1 : 0,
              authorId: viewer.id,
              body: input.body,
              references: input.references as unknown as Prisma.InputJsonValue,
              status: published ? "APPROVED" : "PENDING",
              approvedAt: published ? now : null,
              createdAt: now,
              updatedAt: now,
              submissionKey: key,
              urgent,
            },
            select: { id: true },
          });
          const updated = await tx.reply.update({
            where: { id: created.id },
            data: { path: replyPath(parent, created.id), rootId: parent?.rootId ?? created.id },
            select: { id: true, rootId: true },
          });
          if (published)
            await applyReplyPublished(tx, { id: created.id, threadId, authorId: viewer.id, parentId: parent?.id ?? null }, now);
          return updated;
        }),
        findSubmitted,
      );
      return ok({ replyId: reply.id, url: await replyUrl(reply) });
    },

    /** The parent a reply form answers, for "Replying to NAME". */
    async replyTarget(viewer: Viewer, threadId: number, replyId: number) {
      const row = await db.reply.findFirst({
        where: { id: replyId, threadId, status: "APPROVED" },
        select: { id: true, author: authorSelect },
      });
      if (!row || !viewer) return null;
      return { id: row.id, authorName: authorView(row.author as AuthorRow).name };
    },

    async threadForEdit(viewer: Viewer, id: number) {
      const thread = await db.thread.findUnique({ where: { id } });
      if (!thread || !canSeeUnpublished(viewer, thread.authorId)) throw notFound("thread");
      if (viewer?.id !== thread.authorId) throw forbidden("Only the author can edit this question.");
      if (thread.status === "HIDDEN") throw new AppError("CONFLICT", "A moderator hid this post, so it can't be edited.");
      if (thread.withdrawnAt) throw new AppError("CONFLICT", "This question was withdrawn, so it can't be edited.");
      const isPublic = thread.status === "APPROVED";
      const waiting = isPublic ? await pendingEdit(db, "threads", id) : null;
      return {
        kind: thread.kind,
        id: thread.id,
        url: threadUrl(thread),
        isArticle: thread.kind === "ARTICLE",
        isPublic,
        hasPendingEdit: waiting !== null,
        reviewed: !can(viewer, "publishWithoutReview"),
        values: {
          title: waiting?.title ?? thread.title,
          body: waiting?.body ?? thread.body,
          categoryId: String(waiting?.categoryId ?? thread.categoryId),
        },
        moderation: moderationView(viewer, thread),
      };
    },

    async editThread(viewer: Viewer, id: number, input: AskInput): Promise<Result<{ url: string; pending: boolean }>> {
      const current = await this.threadForEdit(viewer, id);
      const suspended = suspendedForm(viewer, "edit your posts");
      if (suspended) return invalid(suspended, 403);
      // An article's form also holds its tags and references; editing it here would drop them.
      if (current.kind === "ARTICLE") throw new AppError("CONFLICT", "Edit an article from its own form, at /articles/ID/edit.");
      const category = await db.category.findUnique({ where: { id: input.categoryId }, select: { id: true } });
      if (!category) return invalid({ categoryId: "Choose a category from the list." });
      const urgent = isUrgent(input.title, input.body);
      const verdict = await decide(db, viewer as NonNullable<Viewer>, "edit", { title: input.title, body: input.body }, urgent);
      if (verdict.refused) return invalid(verdict.refused.errors, verdict.refused.status);
      if (current.isPublic) {
        const text = { title: input.title, body: input.body, categoryId: category.id };
        const { pending } = await proposeEdit(db, viewer?.id as string, "threads", id, text, verdict.publish);
        return ok({ url: threadUrl({ id, title: pending ? current.values.title : input.title }), pending });
      }
      // Resubmitting puts the question back in the queue; the last decision stays in the audit log.
      const { count } = await db.thread.updateMany({
        where: { id, authorId: viewer?.id, status: { in: ["PENDING", "REJECTED"] } },
        data: {
          title: input.title,
          body: input.body,
          categoryId: category.id,
          urgent,
          changesRequestedAt: null,
          status: "PENDING",
          moderationReason: null,
          moderationNote: null,
          updatedAt: new Date(),
        },
      });
      if (count === 0) return invalid({ _form: "A moderator decided on this question while you were editing. Your text is below." }, 409);
      return ok({ url: threadUrl({ id, title: input.title }), pending: true });
    },

    async replyForEdit(viewer: Viewer, id: number) {
      const reply = await db.reply.findUnique({ where: { id }, include: { thread: { select: { id: true, title: true } } } });
      if (!reply || !canSeeUnpublished(viewer, reply.authorId)) throw notFound("reply");
      if (viewer?.id !== reply.authorId) throw forbidden("Only the author can edit this reply.");
      if (reply.status === "HIDDEN") throw new AppError("CONFLICT", "A moderator hid this reply, so it can't be edited.");
      const isPublic = reply.status === "APPROVED";
      const waiting = isPublic ? await pendingEdit(db, "replies", id) : null;
      return {
        id: reply.id,
        thread: { title: reply.thread.title, url: threadUrl(reply.thread) },
        isPublic,
        hasPendingEdit: waiting !== null,
        reviewed: !can(viewer, "publishWithoutReview"),
        values: {
          body: waiting?.body ?? reply.body,
          references: referencesText(storedReferences(waiting?.references ?? reply.references)),
        },
        canCite: isVerifiedPhysician(viewer) || storedReferences(reply.references).length > 0,
        moderation: moderationView(viewer, reply),
      };
    },

    async editReply(
      viewer: Viewer,
      id: number,
      input: Pick<EditReplyInput, "body" | "references">,
    ): Promise<Result<{ url: string; pending: boolean }>> {
      const { body, references } = input;
      const current = await this.replyForEdit(viewer, id);
      const suspended = suspendedForm(viewer, "edit your posts");
      if (suspended) return invalid(suspended, 403);
      const urgent = isUrgent(body);
      const verdict = await decide(db, viewer as NonNullable<Viewer>, "edit", { body }, urgent);
      if (verdict.refused) return invalid(verdict.refused.errors, verdict.refused.status);
      if (current.isPublic) {
        const { pending } = await proposeEdit(db, viewer?.id as string, "replies", id, { body, references }, verdict.publish);
        return ok({ url: `${current.thread.url}#reply-${id}`, pending });
      }
      const { count } = await db.reply.updateMany({
        where: { id, authorId: viewer?.id, status: { in: ["PENDING", "REJECTED"] } },
        data: {
          body,
          references: references as unknown as Prisma.InputJsonValue,
          urgent,
          changesRequestedAt: null,
          status: "PENDING",
          moderationReason: null,
          moderationNote: null,
          updatedAt: new Date(),
        },
      });
      if (count === 0) return invalid({ _form: "A moderator decided on this reply while you were editing. Your text is below." }, 409);
      return ok({ url: `${current.thread.url}#reply-${id}`, pending: true });
    },

    /**
     * The author withdraws their question: its title and body, and their own replies in it, are redacted;
     * the answers stay, with a note. A pending question leaves the moderation queue.
     */
    async withdraw(viewer: Viewer, id: number): Promise<Result<{ url: string }>> {
      if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to withdraw your question.");
      const thread = await db.thread.findUnique({ where: { id }, select: { authorId: true, kind: true, withdrawnAt: true } });
      if (!thread || !canSeeUnpublished(viewer, thread.authorId)) throw notFound("thread");
      if (thread.authorId !== viewer.id) throw forbidden("Only the person who asked can withdraw a question.");
      if (thread.kind !== "QUESTION") throw forbidden("Articles can't be withdrawn this way.");
      if (thread.withdrawnAt) return ok({ url: threadUrl({ id, title: WITHDRAWN_TITLE }) });
      const now = new Date();
      await db.$transaction([
        db.thread.update({ where: { id }, data: { title: WITHDRAWN_TITLE, body: "", withdrawnAt: now, updatedAt: now, urgent: false } }),
        db.reply.updateMany({
          where: { threadId: id, authorId: viewer.id },
          data: { body: WITHDRAWN_REPLY, updatedAt: now, urgent: false },
        }),
      ]);
      return ok({ url: threadUrl({ id, title: WITHDRAWN_TITLE }) });
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
      const state = (status: string) => status.toLowerCase();
      const wait = [...threads, ...replies].some((p) => p.status === "PENDING") ? await typicalWait(db) : null;
      const withWait = (m: ReturnType<typeof moderationView>) => (m?.isPending ? { ...m, typicalWait: wait } : m);
      return {
        threads: threads.map((t) => ({
          title: t.title,
          url: threadUrl(t),
          createdAt: t.createdAt,
          status: state(t.status),
          moderation: withWait(moderationView(viewer, t)),
          canEdit: isEditable(t.status) && t.withdrawnAt === null,
          editUrl: `/t/${t.id}/edit`,
        })),
        replies: replies.map((r) => ({
          threadTitle: r.thread.title,
          url: `${threadUrl(r.thread)}#reply-${r.id}`,
          createdAt: r.createdAt,
          status: state(r.status),
          moderation: withWait(moderationView(viewer, r)),
          canEdit: isEditable(r.status),
          editUrl: `/replies/${r.id}/edit`,
        })),
      };
    },
  };
}

export type ThreadService = ReturnType<typeof createThreadService>;
