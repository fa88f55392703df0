// What thread templates may see: whitelisted fields built from rows, never the rows themselves.
import { canSeeUnpublished } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { ModerationStatus } from "../generated/prisma/enums.ts";
import { excerpt, plainText } from "../lib/markdown.ts";
import { type AuthorRow, type AuthorView, authorView } from "../posts/authors.ts";
import { isHeldByPhysicianReport } from "../posts/report-holds.ts";
import { threadUrl } from "../posts/urls.ts";
import { emergencyGuidance } from "../safety/review.ts";

export interface ModerationView {
  isPending: boolean;
  isChangesRequested: boolean;
  /** "about 3 hours": the median wait for a decision over the last 30 days, when known. */
  typicalWait: string | null;
  isRejected: boolean;
  isHidden: boolean;
  /** Hidden by a physician's misinformation report until a moderator decides (not a moderator's decision yet). */
  isUnderPhysicianReport: boolean;
  reason: string | null;
  note: string | null;
  /** Signs of an emergency in the author's own unpublished post: get-help guidance comes before the wait. */
  getHelpNow: { label: string }[];
}

/** Moderation state, shown only to the author and to moderators. */
export function moderationView(
  viewer: Viewer,
  row: {
    authorId: string;
    status: ModerationStatus;
    moderationReason: string | null;
    moderationNote: string | null;
    changesRequestedAt?: Date | null;
    title?: string;
    body?: string;
  },
): ModerationView | null {
  if (row.status === "APPROVED" || !canSeeUnpublished(viewer, row.authorId)) return null;
  const changesRequested = row.status === "PENDING" && !!row.changesRequestedAt;
  return {
    isPending: row.status === "PENDING" && !changesRequested,
    isChangesRequested: changesRequested,
    typicalWait: null,
    isRejected: row.status === "REJECTED",
    isHidden: row.status === "HIDDEN" && !isHeldByPhysicianReport(row),
    isUnderPhysicianReport: isHeldByPhysicianReport(row),
    reason: row.moderationReason,
    note: row.moderationNote,
    getHelpNow: row.status === "PENDING" && viewer?.id === row.authorId ? emergencyGuidance(row.title ?? "", row.body ?? "") : [],
  };
}

/** Each state a post can be in, by its name: one wording for the account page, the thread and the edit pages. */
export const POST_STATES = {
  pending: "Awaiting moderation",
  changes: "Changes requested",
  approved: "Published",
  rejected: "Rejected",
  hidden: "Hidden by a moderator",
  withdrawn: "Withdrawn",
} as const;

export function postState(row: { status: ModerationStatus; changesRequestedAt?: Date | null; withdrawnAt?: Date | null }) {
  const key: keyof typeof POST_STATES = row.withdrawnAt
    ? "withdrawn"
    : row.status === "PENDING"
      ? row.changesRequestedAt
        ? "changes"
        : "pending"
      : (row.status.toLowerCase() as "approved" | "rejected" | "hidden");
  return { key, label: POST_STATES[key] };
}

export interface ThreadSummaryRow {
  id: number;
  kind: string;
  title: string;
  body: string;
  createdAt: Date;
  answeredAt: Date | null;
  lastActivityAt: Date;
  replyCount: number;
  category: { slug: string; name: string };
  author: AuthorRow;
}

export function threadSummary(row: ThreadSummaryRow) {
  return {
    url: threadUrl(row),
    title: row.title,
    isArticle: row.kind === "ARTICLE",
    excerpt: excerpt(row.body, 180),
    createdAt: row.createdAt,
    lastActivityAt: row.lastActivityAt,
    isAnswered: row.answeredAt !== null,
    replyCount: row.replyCount,
    category: { url: `/c/${row.category.slug}`, name: row.category.name },
    author: authorView(row.author),
  };
}
export type ThreadSummary = ReturnType<typeof threadSummary>;

interface QaNode {
  id: number;
  body: string;
  createdAt: Date;
  author: AuthorView;
  moderation: unknown;
  children: QaNode[];
}

/**
 * schema.org QAPage data for a public question: the question and the published physicians' answers on this
 * page. Built only from approved content, whoever is looking (an author's own pending reply never appears).
 */
export function qaPageData(
  thread: {
    url: string;
    title: string;
    body: string;
    createdAt: Date;
    author: AuthorView;
    kind: string;
    moderation: unknown;
    isWithdrawn: boolean;
    replyCount: number;
  },
  replies: QaNode[],
  publicUrl: string,
) {
  if (thread.kind !== "QUESTION" || thread.moderation || thread.isWithdrawn) return null;
  const answers: QaNode[] = [];
  const walk = (nodes: QaNode[]) => {
    for (const n of nodes) {
      if (n.moderation) continue; // not public: neither it nor anything under it
      if (n.author.badge) answers.push(n);
      walk(n.children);
    }
  };
  walk(replies);
  const person = (a: AuthorView) => ({ "@type": "Person", name: a.name });
  return {
    "@context": "https://schema.org",
    "@type": "QAPage",
    mainEntity: {
      "@type": "Question",
      name: thread.title,
      text: plainText(thread.body),
      dateCreated: thread.createdAt.toISOString(),
      author: person(thread.author),
      answerCount: answers.length,
      suggestedAnswer: answers.map((a) => ({
        "@type": "Answer",
        text: plainText(a.body),
        dateCreated: a.createdAt.toISOString(),
        url: `${publicUrl}${thread.url}#reply-${a.id}`,
        author: person(a.author),
      })),
    },
  };
}
