// Verified physicians, as the public sees them: the list (filterable by specialty) and each profile with the
// questions they answered. Only verified, current physicians appear; anyone else's handle is "not found".
import { isStaff, type Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { notFound } from "../lib/errors.ts";
import { lapsesOn, pastRecheck, registryLabel, verificationStanding } from "../lib/verification.ts";
import { threadUrl } from "../posts/urls.ts";
import { loadSettings } from "../settings/service.ts";

export const RECENT_ANSWERS = 10;
/** Questions answered, a page of the profile. */
export const ANSWERS_PER_PAGE = 20;

export function createPhysicianService(db: Database) {
  return {
    /** Staff also see whose verification is overdue for a new check. */
    async listVerified(specialty?: string, viewer: Viewer = null) {
      const rows = await db.physicianProfile.findMany({
        where: { status: "VERIFIED", user: { deletedAt: null } },
        orderBy: { fullName: "asc" },
        select: { handle: true, fullName: true, credentials: true, specialty: true, verifiedAt: true, reverifyBy: true },
      });
      const now = new Date();
      const specialties = [...new Set(rows.map((p) => p.specialty))].sort((a, b) => a.localeCompare(b));
      const chosen = specialty && specialties.includes(specialty) ? specialty : null;
      return {
        specialties: specialties.map((s) => ({ name: s, selected: s === chosen })),
        chosen,
        unknownSpecialty: !!specialty && !chosen,
        physicians: rows
          .filter((p) => !chosen || p.specialty === chosen)
          .map((p) => ({
            handle: p.handle,
            url: `/physicians/${p.handle}`,
            name: `Dr. ${p.fullName}`,
            credentials: p.credentials,
            specialty: p.specialty,
            verifiedAt: p.verifiedAt,
            overdue: isStaff(viewer) && pastRecheck(p.reverifyBy, now),
          })),
      };
    },

    /**
     * A verified physician's public profile: who they are, where the badge came from, and their answers. A
     * physician whose verification lapsed keeps the page (links to it keep working), saying so, without the
     * badge or the ways to ask them. Staff also see whether the next check is overdue.
     */
    async profile(handle: string, page = 1, viewer: Viewer = null) {
      const p = await db.physicianProfile.findFirst({
        where: { handle, status: { in: ["VERIFIED", "LAPSED"] }, user: { deletedAt: null } },
        select: {
          userId: true,
          status: true,
          lapsedAt: true,
          reverifyBy: true,
          handle: true,
          fullName: true,
          credentials: true,
          specialty: true,
          verifiedAt: true,
          bio: true,
          disclosures: true,
          jurisdiction: true,
          registryName: true,
          checkedOn: true,
        },
      });
      if (!p) throw notFound("physician");
      const answered = {
        status: "APPROVED" as const,
        withdrawnAt: null,
        replies: { some: { authorId: p.userId, status: "APPROVED" as const } },
      };
      // The count and the list are the same thing: public questions with a published answer of theirs, whoever
      // looks (the page is the same for everyone and cached), one entry per question however many replies.
      const [answerCount, recent, articles] = await Promise.all([
        db.thread.count({ where: { ...answered, kind: "QUESTION" } }),
        db.thread.findMany({
          where: { ...answered, kind: "QUESTION" },
          orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
          skip: (page - 1) * ANSWERS_PER_PAGE,
          take: ANSWERS_PER_PAGE,
          select: { id: true, title: true, lastActivityAt: true, category: { select: { name: true } } },
        }),
        db.thread.findMany({
          where: { authorId: p.userId, kind: "ARTICLE", status: "APPROVED" },
          orderBy: { approvedAt: "desc" },
          take: RECENT_ANSWERS,
          select: { id: true, title: true, approvedAt: true },
        }),
      ]);
      const lapsed = p.status === "LAPSED";
      let recheck: { overdue: boolean; lapsed: boolean; reverifyBy: string; lapsesOn: string | null; memberUrl: string } | null = null;
      if (isStaff(viewer) && p.reverifyBy) {
        const { verificationGraceDays } = await loadSettings(db);
        const standing = lapsed ? "lapsed" : verificationStanding(p.reverifyBy, verificationGraceDays);
        if (standing !== "current")
          recheck = {
            overdue: standing === "overdue",
            lapsed,
            reverifyBy: p.reverifyBy.toISOString().slice(0, 10),
            lapsesOn: lapsesOn(p.reverifyBy, verificationGraceDays),
            memberUrl: `/moderation/users/${p.userId}`,
          };
      }
      return {
        lapsed,
        lapsedAt: p.lapsedAt,
        recheck,
        handle: p.handle,
        name: `Dr. ${p.fullName}`,
        credentials: p.credentials,
        specialty: p.specialty,
        verifiedAt: p.verifiedAt,
        bio: p.bio,
        disclosures: p.disclosures,
        /** Where the badge came from: the registry the licence was checked with, its reference, and the day. */
        provenance: p.registryName ? { registry: registryLabel(p.registryName, p.jurisdiction), checkedOn: p.checkedOn } : null,
        answerCount,
        page,
        pageCount: Math.max(1, Math.ceil(answerCount / ANSWERS_PER_PAGE)),
        recent: recent.map((t) => ({ title: t.title, url: threadUrl(t), category: t.category.name, at: t.lastActivityAt })),
        articles: articles.map((t) => ({ title: t.title, url: threadUrl(t), at: t.approvedAt })),
        askUrl: `/ask?to=${p.handle}`,
        feedUrl: `/physicians/${p.handle}/feed.atom`,
      };
    },
  };
}
