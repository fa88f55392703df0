// Authors' edits of their posts and the versions kept of them. An author's edit of a public post waits for
// review as a pending revision while the approved version stays visible (see service.ts for the decisions),
// or is published at once, kept in the history, for those who publish without review.
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { type PostKind, postKinds } from "../posts/kinds.ts";
import { type Reference, referenceList } from "../references/references.ts";

type Tx = Prisma.TransactionClient;

export type { PostKind };

export interface EditText {
  title?: string;
  body: string;
  categoryId?: number;
  /** An article's tags. */
  tags?: string[];
  /** An answer's or an article's references. */
  references?: Reference[];
}

/** The text fields a revision row keeps for an edit. */
function revisionFields(text: EditText) {
  return {
    title: text.title ?? null,
    body: text.body,
    categoryId: text.categoryId ?? null,
    tags: text.tags ?? [],
    ...(text.references !== undefined ? { references: text.references as unknown as Prisma.InputJsonValue } : {}),
  };
}

/** A revision row's text, as an edit to apply. */
export function revisionText(r: {
  title: string | null;
  body: string;
  categoryId: number | null;
  tags: string[];
  references: unknown;
}): EditText {
  return {
    body: r.body,
    title: r.title ?? undefined,
    categoryId: r.categoryId ?? undefined,
    tags: r.tags.length > 0 ? r.tags : undefined,
    references: Array.isArray(r.references) ? (r.references as Reference[]) : undefined,
  };
}

export const postKey = (kind: PostKind, id: number) => postKinds[kind].key(id);

/** A version's text for a history page; a redacted version shows none of it. */
export function versionText(r: { title: string | null; body: string; tags: string[]; references: unknown; redactedAt: Date | null }) {
  const redacted = r.redactedAt !== null;
  return {
    title: redacted ? null : r.title,
    body: redacted ? null : r.body,
    tags: redacted ? [] : r.tags,
    references: redacted ? [] : referenceList(r.references),
    redacted,
  };
}

/** The post's text now, as a revision row would hold it. */
export async function currentText(tx: Tx, kind: PostKind, id: number) {
  if (kind === "threads") {
    const t = await tx.thread.findUnique({
      where: { id },
      select: {
        title: true,
        body: true,
        categoryId: true,
        tags: true,
        references: true,
        authorId: true,
        approvedAt: true,
        createdAt: true,
      },
    });
    return (
      t && {
        title: t.title,
        body: t.body,
        categoryId: t.categoryId,
        tags: t.tags,
        references: t.references,
        authorId: t.authorId,
        since: t.approvedAt ?? t.createdAt,
      }
    );
  }
  const r = await tx.reply.findUnique({
    where: { id },
    select: { body: true, references: true, authorId: true, approvedAt: true, createdAt: true },
  });
  return (
    r && {
      title: null,
      body: r.body,
      categoryId: null,
      tags: [],
      references: r.references,
      authorId: r.authorId,
      since: r.approvedAt ?? r.createdAt,
    }
  );
}

/** The first edit of a published post keeps its published version in the history. */
async function keepOriginal(tx: Tx, kind: PostKind, id: number) {
  if ((await tx.postRevision.count({ where: postKey(kind, id) })) > 0) return;
  const now = await currentText(tx, kind, id);
  if (!now) return;
  await tx.postRevision.create({
    data: {
      ...postKey(kind, id),
      editorId: now.authorId,
      title: now.title,
      body: now.body,
      categoryId: now.categoryId,
      tags: now.tags,
      references: now.references ?? [],
      status: "APPROVED",
      createdAt: now.since,
      decidedAt: now.since,
    },
  });
}

/** Applies a revision's text to its post. */
export async function applyText(tx: Tx, kind: PostKind, id: number, text: EditText, at: Date) {
  if (kind === "threads") {
    await tx.thread.update({
      where: { id },
      data: {
        body: text.body,
        ...(text.title !== undefined ? { title: text.title } : {}),
        ...(text.categoryId !== undefined ? { categoryId: text.categoryId } : {}),
        ...(text.tags !== undefined ? { tags: text.tags } : {}),
        ...(text.references !== undefined ? { references: text.references as unknown as Prisma.InputJsonValue } : {}),
        updatedAt: at,
      },
    });
  } else {
    await tx.reply.update({
      where: { id },
      data: {
        body: text.body,
        ...(text.references !== undefined ? { references: text.references as unknown as Prisma.InputJsonValue } : {}),
        updatedAt: at,
      },
    });
  }
}

/**
 * An author edits their published post. Published at once for those who publish without review (the
 * edit is kept in the history); otherwise it waits as a pending revision, replacing any earlier pending one.

/**
 * An author edits their published post, inside the submit pipeline's transaction. Published at once when the
 * hold decision says so (the edit is kept in the history); otherwise it waits as a pending revision with the
 * reasons it was held, replacing any earlier pending one.
 */
export async function proposeEdit(
  tx: Tx,
  authorId: string,
  kind: PostKind,
  id: number,
  text: EditText,
  decision: { publish: boolean; holdReasons: string[]; now: Date },
): Promise<{ pending: boolean }> {
  const { publish, holdReasons, now } = decision;
  await keepOriginal(tx, kind, id);
  const fields = revisionFields(text);
  if (publish) {
    await tx.postRevision.deleteMany({ where: { ...postKey(kind, id), status: "PENDING" } });
    await tx.postRevision.create({ data: { ...postKey(kind, id), editorId: authorId, ...fields, status: "APPROVED", decidedAt: now } });
    await applyText(tx, kind, id, text, now);
    return { pending: false };
  }
  const { count } = await tx.postRevision.updateMany({
    where: { ...postKey(kind, id), status: "PENDING" },
    data: { ...fields, holdReasons, createdAt: now, byModerator: false },
  });
  if (count === 0)
    await tx.postRevision.create({ data: { ...postKey(kind, id), editorId: authorId, ...fields, holdReasons, status: "PENDING" } });
  return { pending: true };
}

/** The author's edit awaiting review on a post, if any. */
export async function pendingEdit(db: Database, kind: PostKind, id: number) {
  return db.postRevision.findFirst({
    where: { ...postKey(kind, id), status: "PENDING" },
    select: { id: true, title: true, body: true, categoryId: true, tags: true, references: true, createdAt: true },
  });
}
