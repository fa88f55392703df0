// Full-text search over approved questions, articles and replies. PostgreSQL does the work: a tsvector kept
// by triggers, a GIN index, websearch syntax, ts_rank_cd for order (ts_rank for a single word) and ts_headline
// for snippets. Medical abbreviations also match their spelled-out forms ("NK" finds "natural killer"). Only
// approved posts in approved threads that were not withdrawn are ever searched, and none under a physician's
// open misinformation report (such a report hides its post; this keeps it out even while the hiding and the
// report disagree).
import type { Database } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { plainText } from "../lib/markdown.ts";
import { escapeRegExp } from "../lib/regexp.ts";
import { threadUrl } from "../posts/urls.ts";
import { suggestion, typedPrefix } from "./suggest.ts";

export const RESULTS_PER_PAGE = 10;

/** Abbreviations patients meet, and what they stand for; either form finds both. */
export const ABBREVIATIONS: Record<string, string[]> = {
  nk: ["natural killer"],
  ivf: ["in vitro fertilisation", "in vitro fertilization"],
  hla: ["human leukocyte antigen"],
  aps: ["antiphospholipid syndrome"],
  ivig: ["intravenous immunoglobulin"],
  rpl: ["recurrent pregnancy loss"],
  rif: ["recurrent implantation failure"],
  lmwh: ["low molecular weight heparin"],
  icsi: ["intracytoplasmic sperm injection"],
  tsh: ["thyroid stimulating hormone"],
};

/** Markers ts_headline puts around matches; they never reach the page as text. */
const OPEN = "\u2e28";
const CLOSE = "\u2e29";

export interface Segment {
  text: string;
  hit: boolean;
}

/** A snippet from ts_headline, as escaped-later segments: matched words are `hit`. */
export function segments(headline: string): Segment[] {
  const out: Segment[] = [];
  for (const part of headline.split(OPEN)) {
    const close = part.indexOf(CLOSE);
    if (close === -1) {
      if (part) out.push({ text: part, hit: false });
      continue;
    }
    out.push({ text: part.slice(0, close), hit: true });
    const rest = part.slice(close + 1).replaceAll(CLOSE, "");
    if (rest) out.push({ text: rest, hit: false });
  }
  return out;
}

/**
 * The same search with each abbreviation written out, and each written-out form abbreviated: "NK cells"
 * also searches for "natural killer" cells, and "natural killer" for NK.
 */
export function alternatives(q: string): string[] {
  const out = new Set<string>();
  for (const [abbr, forms] of Object.entries(ABBREVIATIONS)) {
    const word = new RegExp(`(^|[^\\p{L}\\p{N}])${abbr}(?=$|[^\\p{L}\\p{N}])`, "giu");
    if (word.test(q)) for (const form of forms) out.add(q.replace(word, (_m, before: string) => `${before}"${form}"`));
    for (const form of forms) {
      const spelled = new RegExp(`"?${escapeRegExp(form)}"?`, "giu");
      if (spelled.test(q)) out.add(q.replace(spelled, abbr));
    }
  }
  out.delete(q);
  return [...out].slice(0, 8);
}

/**
 * The tsquery for what someone typed (web-search syntax), or for any of its alternatives, or for it with its
 * last word as a prefix ("heparin after a los" finds "loss"). A last word that public posts hold as it is was
 * finished, not cut short: "IVIG" is not widened to every word that begins with it (on the bench data the
 * prefix cost a broad word 8 of its 60 ms, and "test" would have found "testosterone").
 */
function tsquery(q: string): Prisma.Sql {
  let sql = Prisma.sql`websearch_to_tsquery('english', ${q})`;
  for (const alt of alternatives(q)) sql = Prisma.sql`(${sql} || websearch_to_tsquery('english', ${alt}))`;
  const typed = typedPrefix(q);
  if (typed) {
    const prefix = Prisma.sql`to_tsquery('english', ${`${typed.prefix}:*`})`;
    const widened = typed.rest
      ? Prisma.sql`(${sql} || (websearch_to_tsquery('english', ${typed.rest}) && ${prefix}))`
      : Prisma.sql`(${sql} || ${prefix})`;
    sql = Prisma.sql`(CASE WHEN EXISTS (SELECT 1 FROM "SearchWord" w WHERE w.word = ${typed.prefix}) THEN ${sql} ELSE ${widened} END)`;
  }
  return sql;
}

/** No open physician's misinformation report on the post whose id column is `key` ("threadId" or "replyId"). */
const notUnderReport = (key: "threadId" | "replyId", id: Prisma.Sql) =>
  Prisma.sql`NOT EXISTS (SELECT 1 FROM "Flag" f WHERE f.${Prisma.raw(`"${key}"`)} = ${id} AND f.status = 'OPEN' AND f."hidesPost")`;

/**
 * How matches are ordered. With two words or more, cover density (ts_rank_cd) puts the words close together first.
 * With one word there is no proximity to measure and cover density comes down to a weighted count of its
 * occurrences, which ts_rank also gives, at a third of the cost: a broad word ("IVIG" matched 9,230 replies on the
 * bench data) spent 41 of its 65 ms in ts_rank_cd.
 */
function rankFunction(q: string): Prisma.Sql {
  const words = new Set(q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  return Prisma.raw(words.size > 1 ? "ts_rank_cd" : "ts_rank");
}

export interface SearchFilters {
  categoryId?: number;
  answered?: boolean;
  physicianUserId?: string;
}

/**
 * Whether the thread whose id is `id` may be found, with the reader's filters. Public threads are nearly all of
 * them, so the few that are not (awaiting review, rejected, withdrawn) are read from a small partial index
 * ("Thread_unlisted_idx") and left out in one anti-join: on the bench data a broad word's 7,200 threads took
 * 13 ms looked up one by one, and 1 ms this way. The thread row itself is read only when a filter needs it.
 */
function listedThread(id: Prisma.Sql, filters: SearchFilters): Prisma.Sql {
  const own: Prisma.Sql[] = [];
  if (filters.categoryId !== undefined) own.push(Prisma.sql`t."categoryId" = ${filters.categoryId}`);
  if (filters.answered === true) own.push(Prisma.sql`t."answeredAt" IS NOT NULL`);
  if (filters.answered === false) own.push(Prisma.sql`t."answeredAt" IS NULL`);
  if (filters.physicianUserId !== undefined)
    own.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Reply" pr WHERE pr."threadId" = t.id AND pr.status = 'APPROVED' AND pr."authorId" = ${filters.physicianUserId}::uuid)`,
    );
  const conditions = [
    // The same expression as the index's predicate, so that PostgreSQL reads the index.
    Prisma.sql`NOT EXISTS (SELECT 1 FROM "Thread" u WHERE u.id = ${id} AND (u.status <> 'APPROVED' OR u."withdrawnAt" IS NOT NULL))`,
    notUnderReport("threadId", id),
  ];
  if (own.length > 0) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Thread" t WHERE t.id = ${id} AND ${Prisma.join(own, " AND ")})`);
  return Prisma.join(conditions, " AND ");
}

export function createSearchService(db: Database) {
  return {
    /** Whether a query has any word worth searching for (not only punctuation or stop words). */
    async hasTerms(q: string): Promise<boolean> {
      const [row] = await db.$queryRaw<{ n: number }[]>`SELECT numnode(${tsquery(q)})::int AS n`;
      return (row?.n ?? 0) > 0;
    },

    async search(q: string, filters: SearchFilters, page: number) {
      const offset = (page - 1) * RESULTS_PER_PAGE;
      const rank = rankFunction(q);
      // A thread's best match is found among its posts first, and the thread's own conditions are checked once
      // per thread after (see listedThread): on the bench data a broad word matched 9,230 replies in 7,200 threads.
      const rows = await db.$queryRaw<
        {
          id: number;
          title: string;
          kind: string;
          replyId: number | null;
          answered: boolean;
          categoryName: string;
          categorySlug: string;
          titleHl: string;
          bodyHl: string;
          total: number;
        }[]
      >`
        WITH q AS (SELECT ${tsquery(q)} AS query),
        hits AS (
          SELECT t.id AS "threadId", ${rank}(t."searchVector", q.query) AS rank, NULL::int AS "replyId"
          FROM "Thread" t, q
          WHERE t."searchVector" @@ q.query
          UNION ALL
          SELECT r."threadId", ${rank}(r."searchVector", q.query), r.id
          FROM "Reply" r, q
          WHERE r."searchVector" @@ q.query AND r.status = 'APPROVED' AND ${notUnderReport("replyId", Prisma.sql`r.id`)}
        ),
        best AS (
          SELECT DISTINCT ON ("threadId") "threadId", rank, "replyId" FROM hits ORDER BY "threadId", rank DESC, "replyId" NULLS FIRST
        ),
        shown AS (
          SELECT b.* FROM best b WHERE ${listedThread(Prisma.sql`b."threadId"`, filters)}
        ),
        page AS (
          SELECT "threadId", rank, "replyId", count(*) OVER ()::int AS total FROM shown
          ORDER BY rank DESC, "threadId" DESC LIMIT ${RESULTS_PER_PAGE} OFFSET ${offset}
        )
        SELECT t.id, t.title, t.kind::text AS kind, p."replyId", t."answeredAt" IS NOT NULL AS answered, p.total,
          c.name AS "categoryName", c.slug AS "categorySlug",
          ts_headline('english', t.title, q.query,
            ${`StartSel=${OPEN}, StopSel=${CLOSE}, HighlightAll=true`}) AS "titleHl",
          ts_headline('english', coalesce(r.body, t.body), q.query,
            ${`StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`}) AS "bodyHl"
        FROM page p
        JOIN "Thread" t ON t.id = p."threadId"
        JOIN "Category" c ON c.id = t."categoryId"
        LEFT JOIN "Reply" r ON r.id = p."replyId"
        CROSS JOIN q
        ORDER BY p.rank DESC, p."threadId" DESC`;
      const total = rows[0]?.total ?? (page > 1 ? await this.count(q, filters) : 0);
      return {
        total,
        pageCount: Math.max(1, Math.ceil(total / RESULTS_PER_PAGE)),
        results: rows.map((r) => ({
          url: `${threadUrl(r)}${r.replyId ? `#reply-${r.replyId}` : ""}`,
          isArticle: r.kind === "ARTICLE",
          inReply: r.replyId !== null,
          answered: r.answered,
          category: { name: r.categoryName, url: `/c/${r.categorySlug}` },
          title: segments(r.titleHl),
          // The fragments are of the Markdown as written: read as plain text, with the match markers kept.
          snippet: segments(plainText(r.bodyHl)),
        })),
      };
    },

    /** The number of matching threads, for a page past the end. */
    async count(q: string, filters: SearchFilters): Promise<number> {
      const [row] = await db.$queryRaw<{ n: number }[]>`
        WITH q AS (SELECT ${tsquery(q)} AS query)
        SELECT count(*)::int AS n FROM (
          SELECT th.id AS "threadId" FROM "Thread" th, q WHERE th."searchVector" @@ q.query
          UNION
          SELECT r."threadId" FROM "Reply" r, q
          WHERE r."searchVector" @@ q.query AND r.status = 'APPROVED' AND ${notUnderReport("replyId", Prisma.sql`r.id`)}
        ) b WHERE ${listedThread(Prisma.sql`b."threadId"`, filters)}`;
      return row?.n ?? 0;
    },

    /** "Did you mean …?": the search with unknown words replaced by words of public posts, or null. */
    suggest: (q: string) => suggestion(db, q),

    /** Physicians with answers, for the filter's list. */
    async physicians() {
      const rows = await db.physicianProfile.findMany({
        where: { status: "VERIFIED" },
        orderBy: { fullName: "asc" },
        select: { userId: true, handle: true, fullName: true },
      });
      return rows;
    },
  };
}
