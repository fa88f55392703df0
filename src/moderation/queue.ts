// The moderation queue's reads: what waits (with the hold reasons stored when each post was held), reports,
// physician applications. The audit log is read in log.ts; decisions are in decisions.ts.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { FLAG_REASONS } from "../flags/schemas.ts";
import { excerpt } from "../lib/markdown.ts";
import { lapsesOn } from "../lib/verification.ts";
import { type AuthorRow, authorSelect, authorView } from "../posts/authors.ts";
import { replyUrl, threadUrl } from "../posts/urls.ts";
import { rejectionChoices } from "../settings/service.ts";
import { claimView, requireModerator } from "./guard.ts";
import { readQueueSide } from "./queue-queries.ts";

/** Items of each list on the overview ("Everything"): the first few of each, with a link to the whole list. */
export const OVERVIEW_ITEMS = 20;
/** Items on a list's own view (`?show=questions`), where bulk actions work through it a page at a time. */
export const LIST_ITEMS = 100;

export type QueueView = "all" | "reports" | "questions" | "replies" | "edits" | "applications";

export function createModerationQueue(db: Database) {
  return {
    /**
     * What waits: on the overview the first OVERVIEW_ITEMS of each list, on a list's own view its first LIST_ITEMS
     * and nothing of the other lists. `focus` is an item whose form came back with an error: it is shown even when
     * it is not among the first items of its list, so that the moderator's note comes back with it.
     */
    async queue(viewer: Viewer, focus?: { kind: string; id: number; flagged?: boolean }, view: QueueView = "all") {
      requireModerator(viewer, "viewModerationQueue");
      const shown = (list: QueueView) => (view === "all" ? OVERVIEW_ITEMS : view === list ? LIST_ITEMS : 0);
      const threadWhere = { status: "PENDING", withdrawnAt: null, changesRequestedAt: null } as const;
      const threadInclude = { author: authorSelect, category: { select: { name: true } }, claimedBy: { select: { pseudonym: true } } };
      const replyWhere = { status: "PENDING", changesRequestedAt: null } as const;
      const replyInclude = {
        author: authorSelect,
        thread: { select: { id: true, title: true } },
        parent: { select: { body: true, author: authorSelect } },
        claimedBy: { select: { pseudonym: true } },
      };
      const order = [{ urgent: "desc" as const }, { updatedAt: "asc" as const }];
      const [threads, replies] = await Promise.all([
        db.thread.findMany({ where: threadWhere, orderBy: order, take: shown("questions"), include: threadInclude }),
        db.reply.findMany({ where: replyWhere, orderBy: order, take: shown("replies"), include: replyInclude }),
      ]);
      // A report's form (focus.flagged) finds its post among the reports below.
      if (!focus?.flagged && focus?.kind === "threads" && !threads.some((t) => t.id === focus.id)) {
        const item = await db.thread.findFirst({ where: { ...threadWhere, id: focus.id }, include: threadInclude });
        if (item) threads.unshift(item);
      }
      if (!focus?.flagged && focus?.kind === "replies" && !replies.some((r) => r.id === focus.id)) {
        const item = await db.reply.findFirst({ where: { ...replyWhere, id: focus.id }, include: replyInclude });
        if (item) replies.unshift(item);
      }
      // Settings, applications, reports and the authors' histories: one more statement.
      const { settings, history, applications, flags, waiting, physicians } = await readQueueSide(db, [
        ...threads.map((t) => t.authorId),
        ...replies.map((r) => r.authorId),
      ]);
      // One queue item per reported post, with every open report on it.
      const flagged = new Map<
        string,
        {
          id: number;
          kind: "threads" | "replies";
          title: string;
          body: string;
          url: string;
          urgent: boolean;
          /** Hidden at once by a physician's misinformation report: first in the list, restore or keep hidden. */
          physicianReport: boolean;
          author: ReturnType<typeof authorView>;
          reports: { reason: string; note: string | null; createdAt: Date; physician: { name: string; url: string } | null }[];
        }
      >();
      for (const f of flags) {
        const key = f.thread ? `threads-${f.thread.id}` : `replies-${f.reply?.id}`;
        let item = flagged.get(key);
        if (!item) {
          if (f.thread)
            item = {
              id: f.thread.id,
              kind: "threads",
              title: f.thread.title,
              body: f.thread.body,
              url: threadUrl(f.thread),
              urgent: f.thread.urgent,
              physicianReport: false,
              author: authorView(f.thread.author),
              reports: [],
            };
          else if (f.reply)
            item = {
              id: f.reply.id,
              kind: "replies",
              title: `Reply in ${f.reply.thread.title}`,
              body: f.reply.body,
              url: replyUrl(f.reply.thread, f.reply.id),
              urgent: f.reply.urgent,
              physicianReport: false,
              author: authorView(f.reply.author),
              reports: [],
            };
          else continue;
          flagged.set(key, item);
        }
        if (f.hidesPost) item.physicianReport = true;
        item.reports.push({
          reason: FLAG_REASONS[f.reason],
          note: f.note,
          createdAt: f.createdAt,
          physician: f.physician && { name: `Dr. ${f.physician.name}`, url: `/physicians/${f.physician.handle}` },
        });
      }
      const pending = applications.filter((a) => a.status === "PENDING");
      const flaggedItems = [...flagged.values()]
        .sort(
          (a, b) =>
            Number(b.physicianReport) - Number(a.physicianReport) ||
            Number(b.urgent) - Number(a.urgent) ||
            b.reports.length - a.reports.length,
        )
        .filter((f, i) => i < shown("reports") || (focus?.flagged && f.kind === focus.kind && f.id === focus.id));
      return {
        threads: threads.map((t) => ({
          id: t.id,
          kind: "threads",
          title: t.title,
          body: t.body,
          url: threadUrl(t),
          category: t.category.name,
          urgent: t.urgent,
          history: history.get(t.authorId) ?? null,
          heldBecause: t.holdReasons,
          claim: claimView(t, viewer),
          authorUrl: `/moderation/users/${t.authorId}`,
          author: authorView(t.author as AuthorRow),
          submittedAt: t.updatedAt,
        })),
        replies: replies.map((r) => ({
          id: r.id,
          kind: "replies",
          body: r.body,
          url: replyUrl(r.thread, r.id),
          thread: { title: r.thread.title, url: threadUrl(r.thread) },
          urgent: r.urgent,
          history: history.get(r.authorId) ?? null,
          heldBecause: r.holdReasons,
          claim: claimView(r, viewer),
          authorUrl: `/moderation/users/${r.authorId}`,
          parent: r.parent ? { author: authorView(r.parent.author as AuthorRow).name, excerpt: excerpt(r.parent.body, 160) } : null,
          author: authorView(r.author as AuthorRow),
          submittedAt: r.updatedAt,
        })),
        dueForCheck: applications
          .filter((a) => a.status !== "PENDING")
          .map((a) => ({
            fullName: a.fullName,
            credentials: a.credentials,
            reverifyBy: a.reverifyBy ?? "",
            lapsed: a.status === "LAPSED",
            lapsesOn: a.reverifyBy ? lapsesOn(new Date(`${a.reverifyBy}T00:00:00Z`), settings.verificationGraceDays) : null,
            memberUrl: `/moderation/users/${a.userId}`,
          })),
        applications: pending.map((a) => ({
          id: a.id,
          kind: "applications",
          pseudonym: a.pseudonym,
          fullName: a.fullName,
          credentials: a.credentials,
          specialty: a.specialty,
          licenseNumber: a.licenseNumber,
          jurisdiction: a.jurisdiction,
          submittedAt: a.createdAt,
        })),
        flagged: flaggedItems,
        rejectionReasons: rejectionChoices(settings),
        physicianNames: physicians,
        /** Everything waiting, counted apart from what the page shows. */
        total: waiting.threads + waiting.replies + waiting.applications + waiting.flagged,
        /** A list that shows only its first items says how many wait in all. */
        more: {
          questions: more(threads.length, waiting.threads, view, "questions"),
          replies: more(replies.length, waiting.replies, view, "replies"),
          flagged: more(flaggedItems.length, waiting.flagged, view, "reports"),
          applications: more(pending.length, waiting.applications, view, "applications"),
        },
      };
    },
  };
}

/** What a list that shows only its first items says: how many wait, and on the overview, the list's own view. */
function more(shown: number, waiting: number, view: QueueView, list: QueueView) {
  if (waiting <= shown) return null;
  return { shown, waiting, url: view === "all" ? `/moderation?show=${list}` : null };
}
