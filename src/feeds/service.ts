// Atom feeds of answered questions (all, per category, per physician) and the sitemap of public threads.
// Approved content only: approved threads, not withdrawn, answered by a verified physician.
import type { Database } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { notFound } from "../lib/errors.ts";
import { excerpt } from "../lib/markdown.ts";
import { threadUrl } from "../posts/urls.ts";
import { el } from "./xml.ts";

export const FEED_ENTRIES = 20;
/** The sitemap protocol's limit for one file. */
export const SITEMAP_MAX = 50_000;

const publicAnswered: Prisma.ThreadWhereInput = {
  status: "APPROVED",
  withdrawnAt: null,
  kind: "QUESTION",
  answeredAt: { not: null },
};

interface FeedMeta {
  title: string;
  /** Path of the page the feed follows, and of the feed itself. */
  pagePath: string;
  feedPath: string;
}

export function createFeedService(db: Database, publicUrl: string) {
  const abs = (path: string) => `${publicUrl}${path}`;

  async function atom(meta: FeedMeta, where: Prisma.ThreadWhereInput): Promise<string> {
    const rows = await db.thread.findMany({
      where: { ...publicAnswered, ...where },
      orderBy: [{ answeredAt: "desc" }, { id: "desc" }],
      take: FEED_ENTRIES,
      select: {
        id: true,
        title: true,
        body: true,
        createdAt: true,
        answeredAt: true,
        lastActivityAt: true,
        author: { select: { pseudonym: true, deletedAt: true } },
        category: { select: { name: true } },
      },
    });
    const updated = (rows[0]?.lastActivityAt ?? new Date(0)).toISOString();
    const entries = rows.map((t) =>
      el(
        "entry",
        {},
        [
          el("id", {}, `${abs(`/t/${t.id}`)}`),
          el("title", { type: "text" }, t.title),
          el("link", { rel: "alternate", type: "text/html", href: abs(threadUrl(t)) }),
          el("published", {}, t.createdAt.toISOString()),
          el("updated", {}, t.lastActivityAt.toISOString()),
          el("author", {}, el("name", {}, t.author.deletedAt ? "Former member" : t.author.pseudonym), true),
          el("category", { term: t.category.name }),
          el("summary", { type: "text" }, excerpt(t.body, 300)),
        ].join(""),
        true,
      ),
    );
    return `<?xml version="1.0" encoding="utf-8"?>\n${el(
      "feed",
      { xmlns: "http://www.w3.org/2005/Atom" },
      [
        el("id", {}, abs(meta.feedPath)),
        el("title", { type: "text" }, meta.title),
        el("subtitle", { type: "text" }, "Questions answered by verified physicians on Curbside. Information, not medical care."),
        el("updated", {}, updated),
        el("link", { rel: "self", type: "application/atom+xml", href: abs(meta.feedPath) }),
        el("link", { rel: "alternate", type: "text/html", href: abs(meta.pagePath) }),
        el("author", {}, el("name", {}, "Curbside"), true),
        el("generator", {}, "Curbside"),
        ...entries,
      ].join(""),
      true,
    )}\n`;
  }

  return {
    answered: () => atom({ title: "Curbside: newly answered questions", pagePath: "/", feedPath: "/feeds/answered.atom" }, {}),

    async category(slug: string) {
      const category = await db.category.findUnique({ where: { slug }, select: { id: true, name: true, slug: true } });
      if (!category) throw notFound("category");
      return atom(
        { title: `Curbside: answered questions in ${category.name}`, pagePath: `/c/${slug}`, feedPath: `/c/${slug}/feed.atom` },
        { categoryId: category.id },
      );
    },

    async physician(handle: string) {
      const p = await db.physicianProfile.findFirst({ where: { handle, status: "VERIFIED" }, select: { userId: true, fullName: true } });
      if (!p) throw notFound("physician");
      return atom(
        {
          title: `Curbside: questions answered by ${p.fullName}`,
          pagePath: `/physicians/${handle}`,
          feedPath: `/physicians/${handle}/feed.atom`,
        },
        { replies: { some: { authorId: p.userId, status: "APPROVED" } } },
      );
    },

    async sitemap(): Promise<string> {
      const [threads, categories, physicians] = await Promise.all([
        db.thread.findMany({
          where: { status: "APPROVED", withdrawnAt: null },
          orderBy: { id: "asc" },
          take: SITEMAP_MAX - 100,
          select: { id: true, title: true, lastActivityAt: true },
        }),
        db.category.findMany({ orderBy: { position: "asc" }, select: { slug: true } }),
        db.physicianProfile.findMany({ where: { status: "VERIFIED" }, select: { handle: true } }),
      ]);
      const url = (path: string, lastmod?: Date) =>
        el("url", {}, el("loc", {}, abs(path)) + (lastmod ? el("lastmod", {}, lastmod.toISOString()) : ""), true);
      const urls = [
        url("/"),
        url("/physicians"),
        ...categories.map((c) => url(`/c/${c.slug}`)),
        ...physicians.map((p) => url(`/physicians/${p.handle}`)),
        ...threads.map((t) => url(threadUrl(t), t.lastActivityAt)),
      ];
      return `<?xml version="1.0" encoding="UTF-8"?>\n${el(
        "urlset",
        { xmlns: "http://www.sitemaps.org/schemas/sitemap/0.9" },
        urls.join("\n"),
        true,
      )}\n`;
    },
  };
}
