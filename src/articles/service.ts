// Articles: a verified physician's long-form post, with tags and references, that hosts patients' questions
// as threaded comments (an article is a thread of kind ARTICLE, so comments are its replies). Edits publish
// at once for a verified author and every version is kept: the public can read an article's history.
import { can, suspendedForm, suspensionMessage } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError, forbidden, invalid, notFound, ok, type Result } from "../lib/errors.ts";
import { newPostState, resubmittedState, sendPost } from "../posting/pipeline.ts";
import { threadUrl } from "../posts/urls.ts";
import { referencesText, storedReferences } from "../references/references.ts";
import { pendingEdit, proposeEdit, versionText } from "../revisions/edits.ts";
import { summarySelect } from "../threads/service.ts";
import { threadSummary } from "../threads/view-models.ts";
import type { ArticleInput } from "./schemas.ts";

export const ARTICLES_PER_PAGE = 20;

const NOT_A_WRITER = "Articles are written by verified physicians. If you are a physician, apply for verification from your account page.";

export function createArticleService(db: Database) {
  function requireWriter(viewer: Viewer): NonNullable<Viewer> {
    if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to write an article.");
    const suspended = suspensionMessage(viewer);
    if (suspended) throw forbidden(suspended);
    if (!can(viewer, "writeArticle")) throw forbidden(NOT_A_WRITER);
    return viewer;
  }

  /** The article as its author may edit it: theirs, not hidden, with any edit awaiting review. */
  async function ownArticle(viewer: Viewer, id: number) {
    const article = await db.thread.findUnique({ where: { id } });
    if (article?.kind !== "ARTICLE") throw notFound("article");
    if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to edit your article.");
    if (viewer.id !== article.authorId) {
      if (article.status !== "APPROVED") throw notFound("article");
      throw forbidden("Only the physician who wrote this article can edit it.");
    }
    if (article.status === "HIDDEN") throw new AppError("CONFLICT", "A moderator hid this article, so it can't be edited.");
    return article;
  }

  return {
    requireWriter,

    /** Published articles, newest first, optionally with one tag; and the tags in use, most used first. */
    async list(tag: string | null, page: number) {
      const where: Prisma.ThreadWhereInput = { kind: "ARTICLE", status: "APPROVED", ...(tag ? { tags: { has: tag } } : {}) };
      const [total, rows, tags] = await Promise.all([
        db.thread.count({ where }),
        db.thread.findMany({
          where,
          orderBy: [{ approvedAt: "desc" }, { id: "desc" }],
          skip: (page - 1) * ARTICLES_PER_PAGE,
          take: ARTICLES_PER_PAGE,
          select: { ...summarySelect, tags: true },
        }),
        db.$queryRaw<{ tag: string; n: number }[]>`
          SELECT tag, count(*)::int AS n FROM "Thread", unnest(tags) AS tag
          WHERE kind = 'ARTICLE' AND status = 'APPROVED'
          GROUP BY tag ORDER BY n DESC, tag LIMIT 40`,
      ]);
      return {
        tag,
        articles: rows.map((r) => ({
          ...threadSummary(r),
          tags: r.tags.map((t) => ({ name: t, url: `/articles?tag=${encodeURIComponent(t)}` })),
        })),
        tags: tags.map((t) => ({ name: t.tag, count: t.n, url: `/articles?tag=${encodeURIComponent(t.tag)}`, current: t.tag === tag })),
        total,
        page,
        pageCount: Math.max(1, Math.ceil(total / ARTICLES_PER_PAGE)),
      };
    },

    async create(viewer: Viewer, input: ArticleInput): Promise<Result<{ url: string; published: boolean }>> {
      const suspended = suspendedForm(viewer, "write articles");
      if (suspended) return invalid(suspended, 403);
      const writer = requireWriter(viewer);
      const category = await db.category.findUnique({ where: { id: input.categoryId }, select: { id: true } });
      if (!category) return invalid({ categoryId: "Choose a category from the list." });
      const key = input._submission;
      const sent = await sendPost(db, {
        author: writer,
        kind: "article",
        fields: { title: input.title, body: input.body },
        findSubmitted: () =>
          key
            ? db.thread.findUnique({
                where: { authorId_submissionKey: { authorId: writer.id, submissionKey: key } },
                select: { id: true, title: true, status: true },
              })
            : null,
        write: async (tx, s) => {
          const created = await tx.thread.create({
            data: {
              kind: "ARTICLE",
              title: input.title,
              body: input.body,
              categoryId: category.id,
              authorId: writer.id,
              tags: input.tags,
              references: input.references as unknown as Prisma.InputJsonValue,
              // Verified physicians publish at once; a silenced one's article waits for a moderator.
              ...newPostState(s),
              lastActivityAt: s.now,
              submissionKey: key,
            },
            select: { id: true, title: true, status: true },
          });
          // The author hears about the questions asked under their article.
          await tx.threadSubscription.create({ data: { userId: writer.id, threadId: created.id } });
          return ok(created);
        },
      });
      if (!sent.ok) return sent;
      const article = sent.value.post;
      return ok({ url: threadUrl(article), published: article.status === "APPROVED" });
    },

    /** Whether the viewer may use the article form now (new, or editing article `id`): for a preview, which sends nothing. */
    async mayUseForm(viewer: Viewer, id: number | null): Promise<Result<true>> {
      if (id !== null) await ownArticle(viewer, id);
      const suspended = suspendedForm(viewer, id === null ? "write articles" : "edit your articles");
      if (suspended) return invalid(suspended, 403);
      if (id === null) requireWriter(viewer);
      return ok(true);
    },

    /** The edit form's values: the text as published, or the author's edit awaiting review. */
    async forEdit(viewer: Viewer, id: number) {
      const article = await ownArticle(viewer, id);
      const isPublic = article.status === "APPROVED";
      const waiting = isPublic ? await pendingEdit(db, "threads", id) : null;
      return {
        id: article.id,
        url: threadUrl(article),
        isPublic,
        hasPendingEdit: waiting !== null,
        reviewed: !can(viewer, "publishWithoutReview"),
        values: {
          title: waiting?.title ?? article.title,
          body: waiting?.body ?? article.body,
          categoryId: String(waiting?.categoryId ?? article.categoryId),
          tags: (waiting && waiting.tags.length > 0 ? waiting.tags : article.tags).join(", "),
          references: referencesText(storedReferences(waiting?.references ?? article.references)),
        },
      };
    },

    async edit(viewer: Viewer, id: number, input: ArticleInput): Promise<Result<{ url: string; pending: boolean }>> {
      const article = await ownArticle(viewer, id);
      const author = viewer as NonNullable<Viewer>;
      const suspended = suspendedForm(author, "edit your articles");
      if (suspended) return invalid(suspended, 403);
      const category = await db.category.findUnique({ where: { id: input.categoryId }, select: { id: true } });
      if (!category) return invalid({ categoryId: "Choose a category from the list." });
      const text = { title: input.title, body: input.body, categoryId: category.id, tags: input.tags, references: input.references };
      const sent = await sendPost(db, {
        author,
        kind: "edit",
        counted: true,
        fields: { title: input.title, body: input.body },
        write: async (tx, s) => {
          if (article.status === "APPROVED") {
            const { pending } = await proposeEdit(tx, author.id, "threads", id, text, s);
            return ok({ url: threadUrl(pending ? article : { id, title: input.title }), pending });
          }
          // Not yet public (its author was silenced): the article itself changes and waits for review again.
          const { count } = await tx.thread.updateMany({
            where: { id, authorId: author.id, status: { in: ["PENDING", "REJECTED"] } },
            data: {
              title: input.title,
              body: input.body,
              categoryId: category.id,
              tags: input.tags,
              references: input.references as unknown as Prisma.InputJsonValue,
              ...resubmittedState(s),
            },
          });
          if (count === 0)
            return invalid({ _form: "A moderator decided on this article while you were editing. Your text is below." }, 409);
          return ok({ url: threadUrl({ id, title: input.title }), pending: true });
        },
      });
      return sent.ok ? ok(sent.value.post) : sent;
    },

    /** A published article's versions, newest first, for everyone: what changed and when. */
    async history(id: number) {
      const article = await db.thread.findFirst({
        where: { id, kind: "ARTICLE", status: "APPROVED" },
        select: { id: true, title: true, approvedAt: true, createdAt: true },
      });
      if (!article) throw notFound("article");
      const versions = await db.postRevision.findMany({
        where: { threadId: id, status: "APPROVED" },
        orderBy: { id: "desc" },
        select: { title: true, body: true, tags: true, references: true, redactedAt: true, createdAt: true, byModerator: true },
      });
      return {
        article: {
          title: article.title,
          url: threadUrl(article),
          publishedAt: article.approvedAt ?? article.createdAt,
        },
        versions: versions.map((v, i) => ({
          ...versionText(v),
          number: versions.length - i,
          isCurrent: i === 0,
          byModerator: v.byModerator,
          createdAt: v.createdAt,
        })),
      };
    },
  };
}
