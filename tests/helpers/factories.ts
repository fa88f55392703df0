// Factories with unique defaults, writing straight to the test database.
import { randomUUID } from "node:crypto";
import type { Database } from "../../src/db/client.ts";
import type { ModerationStatus, Role } from "../../src/generated/prisma/enums.ts";
import { pseudonymKey } from "../../src/lib/slug.ts";
import { recordMissingHoldReasons } from "../../src/moderation/hold-backfill.ts";
import { replyPath } from "../../src/posts/activity.ts";
import { testPasswords } from "./app.ts";

let counter = 0;
const next = () => `${process.pid}${++counter}`;
export const PASSWORD = "correct horse battery";
let passwordHash: Promise<string> | undefined;

export type Persona = "patient" | "unverifiedPhysician" | "physician" | "moderator" | "admin";

export interface UserFixture {
  id: string;
  email: string;
  pseudonym: string;
  persona: Persona;
  fullName?: string;
}

export async function createUser(
  db: Database,
  persona: Persona = "patient",
  overrides: { pseudonym?: string; email?: string; fullName?: string; createdAt?: Date; emailConfirmed?: boolean } = {},
): Promise<UserFixture> {
  const n = next();
  const id = randomUUID();
  const email = overrides.email ?? `user${n}@example.test`;
  const pseudonym = overrides.pseudonym ?? `Member ${n}`;
  const role: Role =
    persona === "moderator" ? "MODERATOR" : persona === "admin" ? "ADMIN" : persona === "patient" ? "PATIENT" : "PHYSICIAN";
  passwordHash ??= testPasswords.hash(PASSWORD);
  // A month old unless a test needs a new account: the first-day limits apply only to new ones.
  const createdAt = overrides.createdAt ?? new Date(Date.now() - 30 * 24 * 3600 * 1000);
  await db.user.create({
    data: {
      id,
      email,
      passwordHash: await passwordHash,
      pseudonym,
      pseudonymKey: pseudonymKey(pseudonym),
      role,
      createdAt,
      // Accounts made by tests have confirmed addresses, as every account made by signing up does.
      emailConfirmedAt: overrides.emailConfirmed === false ? null : createdAt,
      consentAt: createdAt,
      consentVersion: "test",
    },
  });
  let fullName: string | undefined;
  if (persona === "physician" || persona === "unverifiedPhysician") {
    fullName = overrides.fullName ?? `Test Physician ${n}`;
    await db.physicianProfile.create({
      data: {
        userId: id,
        handle: `test-physician-${n}`,
        fullName,
        credentials: "MD",
        specialty: "Reproductive immunology",
        licenseNumber: `LIC-${n}`,
        jurisdiction: "Testland",
        status: persona === "physician" ? "VERIFIED" : "PENDING",
        verifiedAt: persona === "physician" ? new Date("2026-11-02T10:00:00Z") : null,
        ...(persona === "physician"
          ? { registryName: "Testland Medical Register", registryReference: `TMR-${n}`, checkedOn: new Date("2026-11-02T00:00:00Z") }
          : {}),
      },
    });
  }
  return { id, email, pseudonym, persona, fullName };
}

export async function categoryId(db: Database, slug = "recurrent-pregnancy-loss"): Promise<number> {
  return (await db.category.findUniqueOrThrow({ where: { slug } })).id;
}

export async function createThread(
  db: Database,
  author: UserFixture,
  overrides: {
    title?: string;
    body?: string;
    status?: ModerationStatus;
    kind?: "QUESTION" | "ARTICLE";
    category?: string;
    moderationReason?: string;
  } = {},
) {
  const n = next();
  const status = overrides.status ?? "APPROVED";
  const thread = await db.thread.create({
    data: {
      title: overrides.title ?? `Question number ${n} about testing`,
      body: overrides.body ?? `Body of question ${n}, long enough to be valid.`,
      kind: overrides.kind ?? "QUESTION",
      categoryId: await categoryId(db, overrides.category),
      authorId: author.id,
      status,
      approvedAt: status === "APPROVED" ? new Date() : null,
      moderationReason: overrides.moderationReason ?? null,
    },
  });
  // A waiting post carries the reasons it was held, as one sent through the app does.
  if (status === "PENDING") await recordMissingHoldReasons(db, { kind: "threads", id: thread.id });
  return thread;
}

export async function createReply(
  db: Database,
  author: UserFixture,
  threadId: number,
  overrides: { body?: string; status?: ModerationStatus; parentId?: number } = {},
) {
  const n = next();
  const status = overrides.status ?? "APPROVED";
  const parent = overrides.parentId ? await db.reply.findUniqueOrThrow({ where: { id: overrides.parentId } }) : null;
  const reply = await db.reply.create({
    data: {
      threadId,
      parentId: parent?.id ?? null,
      depth: parent ? parent.depth + 1 : 0,
      authorId: author.id,
      body: overrides.body ?? `Reply number ${n}`,
      status,
      approvedAt: status === "APPROVED" ? new Date() : null,
    },
  });
  const path = replyPath(parent, reply.id);
  if (status === "PENDING") await recordMissingHoldReasons(db, { kind: "replies", id: reply.id });
  return db.reply.update({ where: { id: reply.id }, data: { path, rootId: parent?.rootId ?? reply.id } });
}
