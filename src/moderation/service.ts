// The moderation queue and moderator decisions. Each decision is guarded in its WHERE clause, so when two
// moderators act on one item only the first succeeds; the second is told it was already decided.
import { can } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { excerpt } from "../lib/markdown.ts";
import { applyReplyPublished } from "../threads/service.ts";
import { type AuthorRow, authorView, threadUrl } from "../threads/view-models.ts";
import { writeAudit } from "./audit.ts";

export type ItemKind = "threads" | "replies" | "applications";

const ALREADY_DECIDED = "Another moderator has already decided on this item. The queue below is up to date.";

function requireModerator(viewer: Viewer, action: "moderate" | "reviewApplications" | "viewModerationQueue" = "moderate") {
  if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in as a moderator to use the queue.");
  if (!can(viewer, action)) throw new AppError("FORBIDDEN", "Only moderators can do that.");
  return viewer;
}

const authorSelect = {
  select: {
    id: true,
    pseudonym: true,
    deletedAt: true,
    createdAt: true,
    physicianProfile: { select: { handle: true, fullName: true, credentials: true, specialty: true, status: true, verifiedAt: true } },
  },
} as const;

export function createModerationService(db: Database) {
  async function exists(kind: ItemKind, id: number): Promise<boolean> {
    if (kind === "threads") return (await db.thread.count({ where: { id } })) > 0;
    if (kind === "replies") return (await db.reply.count({ where: { id } })) > 0;
    return (await db.physicianProfile.count({ where: { id } })) > 0;
  }

  return {
    async queue(viewer: Viewer) {
      requireModerator(viewer, "viewModerationQueue");
      const [threads, replies, applications] = await Promise.all([
        db.thread.findMany({
          where: { status: "PENDING", withdrawnAt: null },
          orderBy: [{ urgent: "desc" }, { updatedAt: "asc" }],
          take: 100,
          include: { author: authorSelect, category: { select: { name: true } } },
        }),
        db.reply.findMany({
          where: { status: "PENDING" },
          orderBy: [{ urgent: "desc" }, { updatedAt: "asc" }],
          take: 100,
          include: {
            author: authorSelect,
            thread: { select: { id: true, title: true } },
            parent: { select: { body: true, author: authorSelect } },
          },
        }),
        db.physicianProfile.findMany({
          where: { status: "PENDING" },
          orderBy: { createdAt: "asc" },
          take: 100,
          include: { user: { select: { pseudonym: true, createdAt: true } } },
        }),
      ]);
      return {
        threads: threads.map((t) => ({
          id: t.id,
          kind: "threads",
          title: t.title,
          body: t.body,
          url: threadUrl(t),
          category: t.category.name,
          urgent: t.urgent,
          author: authorView(t.author as AuthorRow),
          submittedAt: t.updatedAt,
        })),
        replies: replies.map((r) => ({
          id: r.id,
          kind: "replies",
          body: r.body,
          url: `${threadUrl(r.thread)}#reply-${r.id}`,
          thread: { title: r.thread.title, url: threadUrl(r.thread) },
          urgent: r.urgent,
          parent: r.parent ? { author: authorView(r.parent.author as AuthorRow).name, excerpt: excerpt(r.parent.body, 160) } : null,
          author: authorView(r.author as AuthorRow),
          submittedAt: r.updatedAt,
        })),
        applications: applications.map((a) => ({
          id: a.id,
          kind: "applications",
          pseudonym: a.user.pseudonym,
          fullName: a.fullName,
          credentials: a.credentials,
          specialty: a.specialty,
          licenseNumber: a.licenseNumber,
          jurisdiction: a.jurisdiction,
          submittedAt: a.createdAt,
        })),
        total: threads.length + replies.length + applications.length,
      };
    },

    async approve(viewer: Viewer, kind: ItemKind, id: number): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer, kind === "applications" ? "reviewApplications" : "moderate");
      const now = new Date();
      const done = await db.$transaction(async (tx) => {
        if (kind === "threads") {
          const { count } = await tx.thread.updateMany({
            where: { id, status: "PENDING" },
            data: {
              status: "APPROVED",
              approvedAt: now,
              lastActivityAt: now,
              moderatedById: moderator.id,
              moderatedAt: now,
              moderationReason: null,
              moderationNote: null,
            },
          });
          if (count === 1) await writeAudit(tx, { actorId: moderator.id, action: "approve", targetType: "THREAD", targetId: id });
          return count === 1;
        }
        if (kind === "replies") {
          const reply = await tx.reply.findUnique({ where: { id }, select: { threadId: true, authorId: true } });
          const { count } = await tx.reply.updateMany({
            where: { id, status: "PENDING" },
            data: {
              status: "APPROVED",
              approvedAt: now,
              moderatedById: moderator.id,
              moderatedAt: now,
              moderationReason: null,
              moderationNote: null,
            },
          });
          if (count === 1 && reply) {
            await applyReplyPublished(tx, reply, now);
            await writeAudit(tx, { actorId: moderator.id, action: "approve", targetType: "REPLY", targetId: id });
          }
          return count === 1;
        }
        const { count } = await tx.physicianProfile.updateMany({
          where: { id, status: "PENDING" },
          data: { status: "VERIFIED", verifiedAt: now, reviewedById: moderator.id, reviewReason: null, reviewNote: null },
        });
        if (count === 1)
          await writeAudit(tx, { actorId: moderator.id, action: "verify", targetType: "PHYSICIAN_APPLICATION", targetId: id });
        return count === 1;
      });
      if (!done) {
        if (!(await exists(kind, id))) throw notFound("item");
        return invalid({ _form: ALREADY_DECIDED }, 409);
      }
      return ok({
        message: kind === "applications" ? "Physician verified. Their badge now shows on their posts." : "Approved. It is now public.",
      });
    },

    async reject(viewer: Viewer, kind: ItemKind, id: number, reason: string, note: string): Promise<Result<{ message: string }>> {
      const moderator = requireModerator(viewer, kind === "applications" ? "reviewApplications" : "moderate");
      const now = new Date();
      const cleanNote = note.trim() === "" ? null : note;
      const done = await db.$transaction(async (tx) => {
        let count: number;
        if (kind === "threads") {
          ({ count } = await tx.thread.updateMany({
            where: { id, status: "PENDING" },
            data: {
              status: "REJECTED",
              moderationReason: reason,
              moderationNote: cleanNote,
              moderatedById: moderator.id,
              moderatedAt: now,
            },
          }));
        } else if (kind === "replies") {
          ({ count } = await tx.reply.updateMany({
            where: { id, status: "PENDING" },
            data: {
              status: "REJECTED",
              moderationReason: reason,
              moderationNote: cleanNote,
              moderatedById: moderator.id,
              moderatedAt: now,
            },
          }));
        } else {
          ({ count } = await tx.physicianProfile.updateMany({
            where: { id, status: "PENDING" },
            data: { status: "REJECTED", reviewReason: reason, reviewNote: cleanNote, reviewedById: moderator.id },
          }));
        }
        if (count === 1) {
          const targetType = kind === "threads" ? "THREAD" : kind === "replies" ? "REPLY" : "PHYSICIAN_APPLICATION";
          await writeAudit(tx, { actorId: moderator.id, action: "reject", targetType, targetId: id, reason, note: cleanNote });
        }
        return count === 1;
      });
      if (!done) {
        if (!(await exists(kind, id))) throw notFound("item");
        return invalid({ _form: ALREADY_DECIDED }, 409);
      }
      return ok({ message: "Rejected. The author can see your reason and edit their text." });
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
