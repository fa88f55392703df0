// A thread page's view-model: what the template may see of the thread and its replies, for one reader.
import { can } from "../auth/permissions.ts";
import { isStaff, isVerifiedPhysician, type Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { notFound } from "../lib/errors.ts";
import { authorView } from "../posts/authors.ts";
import { typicalWait } from "../posts/typical-wait.ts";
import { threadUrl } from "../posts/urls.ts";
import { referenceList } from "../references/references.ts";
import { ROOTS_PER_PAGE } from "./limits.ts";
import type { readThreadPage, ViewerState } from "./page-queries.ts";
import { moderationView } from "./view-models.ts";

/** One page of a thread as read from the database (see page-queries.ts). */
export type ThreadRead = Awaited<ReturnType<typeof readThreadPage>>;

/** Posts their author may edit: waiting, sent back, or published (a published post's edit goes to review); not hidden ones. */
export const isEditable = (status: string) => status === "PENDING" || status === "REJECTED" || status === "APPROVED";

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

/**
 * A thread page's view-model for `viewer` from what was read: for them (`readThreadPage` with their id), or for
 * everyone (a signed-out read) together with their own state (`viewerState`), when the two pages differ only in
 * what `personal` and their role decide: buttons, marks and the follow form.
 */
export async function threadView(db: Database, viewer: Viewer, read: ThreadRead, page: number, personal?: ViewerState) {
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
      /** Whether the viewer wrote it: the reply form's words, and no "Ask" button to oneself. */
      isOwn: !!viewer && viewer.id === thread.authorId,
      /** "Ask Dr. X" under an article: a question of one's own, addressed to its author (never to oneself). */
      askUrl:
        thread.kind === "ARTICLE" && thread.author.physicianProfile?.status === "VERIFIED" && viewer?.id !== thread.authorId
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
