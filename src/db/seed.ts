// Seeds: the categories every installation needs (seedBase), and demo content with demo accounts for trying
// Curbside out (seedDemo, never in production). All people in the demo are fictional; the medical topics are
// written in our own words.

import { randomUUID } from "node:crypto";
import { PRIVACY_NOTICE_VERSION } from "../auth/schemas.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { ModerationStatus } from "../generated/prisma/enums.ts";
import { createPasswordHasher } from "../lib/passwords.ts";
import { pseudonymKey } from "../lib/slug.ts";
import { recordMissingHoldReasons } from "../moderation/hold-backfill.ts";
import { recountThreads, replyPath } from "../posts/activity.ts";
import { threadUrl } from "../posts/urls.ts";
import { parseReferences, storedReferences } from "../references/references.ts";
import { proposeEdit } from "../revisions/edits.ts";
import type { Database } from "./client.ts";
import { FLAGS, USERS } from "./demo/people.ts";
import { type DemoReply, ESHRE_RPL, THREADS } from "./demo/threads.ts";

export { seedLargeQueue } from "./demo/large-queue.ts";

export const CATEGORIES = [
  {
    slug: "recurrent-pregnancy-loss",
    name: "Recurrent pregnancy loss",
    description: "Two or more losses: causes, tests, and what helps next time.",
  },
  {
    slug: "ivf-implantation-failure",
    name: "IVF & implantation failure",
    description: "Transfers that don't implant, add-on treatments, and planning the next cycle.",
  },
  {
    slug: "reproductive-immunology",
    name: "Reproductive immunology",
    description: "NK cells, HLA sharing, Th1/Th2 balance, and the tests behind them.",
  },
  {
    slug: "autoimmune-conditions-in-pregnancy",
    name: "Autoimmune conditions in pregnancy",
    description: "Antiphospholipid syndrome, lupus, thyroid antibodies and pregnancy.",
  },
  { slug: "support", name: "Support", description: "Grief, waiting, and getting through it together. You are not alone." },
];

export const DEMO_PASSWORD = "curbside-demo";

export async function seedBase(db: Database): Promise<void> {
  for (const [position, c] of CATEGORIES.entries()) {
    await db.category.upsert({ where: { slug: c.slug }, update: {}, create: { ...c, position } });
  }
}

/** Demo references go through the same parser as the form, so the demo can't hold what the form would refuse. */
function demoReferences(text: string | undefined): Prisma.InputJsonValue {
  if (!text) return [];
  const parsed = parseReferences(text);
  if (!parsed.ok) throw new Error(`seed: ${parsed.message}`);
  return parsed.references as unknown as Prisma.InputJsonValue;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Creates the demo accounts and content, once. Returns false when the database already has users. */
export async function seedDemo(db: Database, now = new Date()): Promise<boolean> {
  if ((await db.user.count()) > 0) return false;
  await seedBase(db);
  const passwordHash = await createPasswordHasher().hash(DEMO_PASSWORD);
  const ids = new Map<string, string>();
  const moderatorId = randomUUID();
  const categories = new Map((await db.category.findMany()).map((c) => [c.slug, c.id]));

  await db.$transaction(
    async (tx) => {
      for (const u of USERS) {
        const id = u.key === "mod" ? moderatorId : randomUUID();
        ids.set(u.key, id);
        await tx.user.create({
          data: {
            id,
            email: u.email,
            passwordHash,
            pseudonym: u.pseudonym,
            pseudonymKey: pseudonymKey(u.pseudonym),
            role: u.role,
            createdAt: new Date(now.getTime() - u.daysAgo * DAY),
            // The demo accounts are confirmed and agreed to the privacy notice, as if they had joined.
            emailConfirmedAt: new Date(now.getTime() - u.daysAgo * DAY),
            consentAt: new Date(now.getTime() - u.daysAgo * DAY),
            consentVersion: PRIVACY_NOTICE_VERSION,
          },
        });
      }
      for (const u of USERS) {
        const id = ids.get(u.key) as string;
        if (u.physician) {
          const p = u.physician;
          const verifiedAt = p.verified ? new Date(now.getTime() - (p.verifiedDaysAgo ?? 1) * DAY) : null;
          const profile = await tx.physicianProfile.create({
            data: {
              userId: id,
              handle: p.handle,
              fullName: p.fullName,
              credentials: p.credentials,
              specialty: p.specialty,
              licenseNumber: p.license,
              jurisdiction: p.jurisdiction,
              status: p.revoked ? "REVOKED" : p.verified ? "VERIFIED" : "PENDING",
              verifiedAt,
              ...(p.revoked ? { revokedAt: new Date(now.getTime() - 3 * DAY), reviewReason: p.revoked } : {}),
              bio: p.bio ?? "",
              disclosures: p.disclosures ?? "",
              reviewedById: p.verified ? moderatorId : null,
              // Where each demo badge came from: the registry named in the jurisdiction, the licence as its reference.
              ...(p.verified && verifiedAt
                ? {
                    registryName: `Public register of ${p.jurisdiction}`,
                    registryReference: p.license,
                    checkedOn: new Date(`${verifiedAt.toISOString().slice(0, 10)}T00:00:00Z`),
                    reverifyBy: new Date(
                      `${new Date(verifiedAt.getTime() + (p.recheckAfterDays ?? 365) * DAY).toISOString().slice(0, 10)}T00:00:00Z`,
                    ),
                  }
                : {}),
              createdAt: new Date(now.getTime() - u.daysAgo * DAY),
            },
          });
          if (p.verified && verifiedAt) {
            await tx.moderationLog.create({
              data: {
                actorId: moderatorId,
                action: "verify",
                targetType: "PHYSICIAN_APPLICATION",
                targetId: String(profile.id),
                createdAt: verifiedAt,
              },
            });
          }
          if (p.revoked) {
            await tx.moderationLog.create({
              data: {
                actorId: moderatorId,
                action: "revoke",
                targetType: "PHYSICIAN_APPLICATION",
                targetId: String(profile.id),
                reason: p.revoked,
                createdAt: new Date(now.getTime() - 3 * DAY),
              },
            });
          }
        }
      }

      const user = (key: string) => {
        const id = ids.get(key);
        if (!id) throw new Error(`seed: unknown demo user ${key}`);
        return id;
      };
      const isPhysician = (key: string) => USERS.find((u) => u.key === key)?.physician?.verified === true;

      async function addReplies(
        threadId: number,
        list: DemoReply[],
        parent: { id: number; path: string; rootId: number; depth: number } | null,
        start: Date,
      ) {
        for (const r of list) {
          const at = new Date(start.getTime() + r.hoursAfter * HOUR);
          const status: ModerationStatus = r.status ?? "APPROVED";
          const created = await tx.reply.create({
            data: {
              threadId,
              parentId: parent?.id ?? null,
              depth: parent ? parent.depth + 1 : 0,
              authorId: user(r.by),
              body: r.body,
              status,
              moderationReason: r.reason ?? null,
              moderationNote: r.note ?? null,
              createdAt: at,
              updatedAt: at,
              approvedAt: status === "APPROVED" ? new Date(at.getTime() + (isPhysician(r.by) ? 0 : 2 * HOUR)) : null,
              references: demoReferences(r.references),
              helpfulCount: r.helpfulBy?.length ?? 0,
              agreeCount: r.agreeBy?.length ?? 0,
              acceptedAt: r.accepted ? new Date(at.getTime() + 6 * HOUR) : null,
            },
          });
          for (const by of r.helpfulBy ?? []) await tx.helpfulMark.create({ data: { replyId: created.id, userId: user(by) } });
          for (const by of r.agreeBy ?? []) await tx.agreement.create({ data: { replyId: created.id, userId: user(by) } });
          const path = replyPath(parent, created.id);
          const rootId = parent?.rootId ?? created.id;
          await tx.reply.update({ where: { id: created.id }, data: { path, rootId } });
          if (status === "APPROVED" && !isPhysician(r.by)) {
            await tx.moderationLog.create({
              data: {
                actorId: moderatorId,
                action: "approve",
                targetType: "REPLY",
                targetId: String(created.id),
                createdAt: new Date(at.getTime() + 2 * HOUR),
              },
            });
          }
          if (r.replies)
            await addReplies(threadId, r.replies, { id: created.id, path, rootId, depth: parent ? parent.depth + 1 : 0 }, start);
        }
      }

      for (const t of THREADS) {
        const createdAt = new Date(now.getTime() - t.daysAgo * DAY);
        const status: ModerationStatus = t.status ?? "APPROVED";
        const approvedAt = status === "APPROVED" ? new Date(createdAt.getTime() + (isPhysician(t.by) ? 0 : 3 * HOUR)) : null;
        const categoryId = categories.get(t.category);
        if (!categoryId) throw new Error(`seed: unknown category ${t.category}`);
        const thread = await tx.thread.create({
          data: {
            kind: t.kind,
            title: t.title,
            body: t.body,
            categoryId,
            authorId: user(t.by),
            status,
            moderationReason: t.reason ?? null,
            moderationNote: t.note ?? null,
            moderatedById: status === "APPROVED" || status === "REJECTED" ? moderatorId : null,
            moderatedAt: status === "REJECTED" ? new Date(createdAt.getTime() + 4 * HOUR) : approvedAt,
            createdAt,
            updatedAt: createdAt,
            approvedAt,
            lastActivityAt: approvedAt ?? createdAt,
            tags: t.tags ?? [],
            references: demoReferences(t.references),
          },
        });
        if (status !== "PENDING" && !isPhysician(t.by)) {
          await tx.moderationLog.create({
            data: {
              actorId: moderatorId,
              action: status === "APPROVED" ? "approve" : "reject",
              targetType: "THREAD",
              targetId: String(thread.id),
              reason: t.reason ?? null,
              note: t.note ?? null,
              createdAt: approvedAt ?? new Date(createdAt.getTime() + 4 * HOUR),
            },
          });
        }
        if (t.replies) await addReplies(thread.id, t.replies, null, createdAt);
      }
    },
    { timeout: 60_000 },
  );
  for (const f of FLAGS) {
    const reply = await db.reply.findFirstOrThrow({ where: { body: { startsWith: f.replyStartsWith } }, select: { id: true } });
    const reporter = await db.user.findUniqueOrThrow({
      where: { pseudonymKey: pseudonymKey(USERS.find((u) => u.key === f.by)?.pseudonym ?? "") },
    });
    await db.flag.create({ data: { reporterId: reporter.id, replyId: reply.id, reason: f.reason, note: f.note ?? null } });
  }
  await recountThreads(db);
  await seedActivity(db, ids, now);
  // Written straight into the tables, the waiting posts get their hold reasons the way a new post would.
  await recordMissingHoldReasons(db);
  return true;
}

/**
 * What the demo accounts find on their next visit: the patient's notifications (answers and decisions) and
 * mail subscriptions, an edit of theirs awaiting review, and the physician's categories for new questions.
 */
async function seedActivity(db: Database, ids: Map<string, string>, now: Date) {
  const patient = ids.get("juniper") as string;
  const physician = ids.get("nwosu") as string;
  // An article edited after publication: both versions are in its public revision history.
  const addOns = await db.thread.findFirstOrThrow({ where: { kind: "ARTICLE", authorId: ids.get("varga") as string } });
  await db.$transaction((tx) =>
    proposeEdit(
      tx,
      addOns.authorId,
      "threads",
      addOns.id,
      {
        title: addOns.title,
        body: `${addOns.body}\n\n*Updated:* the ESHRE guideline on recurrent pregnancy loss reaches a similar conclusion for immune treatments after miscarriage: most are not recommended outside trials.`,
        categoryId: addOns.categoryId,
        tags: addOns.tags,
        references: [...storedReferences(addOns.references), ...storedReferences(demoReferences(ESHRE_RPL))],
      },
      { publish: true, holdReasons: [], now: new Date() },
    ),
  );
  const mine = await db.thread.findMany({ where: { authorId: patient }, orderBy: { id: "asc" } });
  for (const t of mine) {
    await db.threadSubscription.create({ data: { userId: patient, threadId: t.id } });
    const url = threadUrl(t);
    if (t.status === "REJECTED")
      await db.notification.create({
        data: {
          userId: patient,
          kind: "DECISION",
          message: "Your question was not approved",
          detail: [t.moderationReason, t.moderationNote].filter(Boolean).join(" — "),
          url,
        },
      });
    if (t.status === "APPROVED") {
      await db.notification.create({
        data: { userId: patient, kind: "DECISION", message: "Your question was approved and is now public", url, readAt: now },
      });
      const answer = await db.reply.findFirst({
        where: { threadId: t.id, authorId: physician, status: "APPROVED" },
        orderBy: { id: "asc" },
      });
      if (answer)
        await db.notification.create({
          data: {
            userId: patient,
            kind: "REPLY_TO_QUESTION",
            message: "Dr. Amara Nwosu replied to your question",
            url: `${url}#reply-${answer.id}`,
          },
        });
    }
  }
  const published = mine.find((t) => t.status === "APPROVED");
  if (published) {
    await db.postRevision.createMany({
      data: [
        {
          threadId: published.id,
          editorId: patient,
          title: published.title,
          body: published.body,
          categoryId: published.categoryId,
          status: "APPROVED",
          createdAt: published.approvedAt ?? published.createdAt,
          decidedAt: published.approvedAt,
        },
        {
          threadId: published.id,
          editorId: patient,
          title: published.title,
          body: `${published.body}\n\nUpdate: my thyroid tests came back normal.`,
          categoryId: published.categoryId,
          status: "PENDING",
        },
      ],
    });
  }
  const followed = await db.category.findMany({
    where: { slug: { in: ["recurrent-pregnancy-loss", "reproductive-immunology"] } },
    select: { id: true },
  });
  await db.physicianProfile.update({
    where: { userId: physician },
    data: { categoryIds: followed.map((c) => c.id), questionMail: "DAILY" },
  });
}
