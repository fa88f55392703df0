// /search?q=: results ranked by PostgreSQL, with snippets, filters and pages. An empty, too long or
// wordless query gets a helpful page; a bad filter gets a message; never an error page.
import type { FastifyInstance } from "fastify";
import { zodFieldErrors } from "../lib/forms.ts";
import { pagination } from "../threads/routes.ts";
import { createThreadService } from "../threads/service.ts";
import { SEARCH_MAX, searchQuery } from "./schemas.ts";
import { ABBREVIATIONS, createSearchService } from "./service.ts";

export default async function searchRoutes(app: FastifyInstance) {
  const search = createSearchService(app.reader);
  const threads = createThreadService(app.reader, app.postEvents);

  app.get("/search", async (request, reply) => {
    const parsed = searchQuery.safeParse(request.query ?? {});
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const [categories, physicians] = await Promise.all([threads.categories(), search.physicians()]);
    // As typed, but without control characters (a NUL byte, say): they are not words, and PostgreSQL refuses some.
    const text = (v: unknown) => (typeof v === "string" ? v.replace(/[\u0000-\u001F\u007F]+/g, " ") : "");
    const values = {
      q: text(raw.q).slice(0, SEARCH_MAX * 2),
      category: text(raw.category),
      answered: text(raw.answered),
      physician: text(raw.physician),
    };
    const model = {
      values,
      categories: categories.map((c) => ({ slug: c.slug, name: c.name, selected: c.slug === values.category })),
      physicians: physicians.map((p) => ({ handle: p.handle, name: p.fullName, selected: p.handle === values.physician })),
      answeredChoices: [
        { value: "", label: "Answered or not", selected: !values.answered },
        { value: "yes", label: "Answered by a physician", selected: values.answered === "yes" },
        { value: "no", label: "Not answered yet", selected: values.answered === "no" },
      ],
      abbreviations: Object.keys(ABBREVIATIONS)
        .slice(0, 5)
        .map((a) => a.toUpperCase()),
    };
    const title = values.q.trim() ? `Search: ${values.q.trim().slice(0, 60)}` : "Search";
    if (!parsed.success) {
      return reply.render("search/results", { ...model, errors: zodFieldErrors(parsed.error), hasErrors: true }, { title, status: 400 });
    }
    const input = parsed.data;
    const q = text(input.q).trim();
    if (q === "") return reply.render("search/results", { ...model, empty: true }, { title });
    if (q.length > SEARCH_MAX) return reply.render("search/results", { ...model, tooLong: true, max: SEARCH_MAX }, { title });
    if (!(await search.hasTerms(q))) return reply.render("search/results", { ...model, noTerms: true }, { title });

    const category = input.category ? categories.find((c) => c.slug === input.category) : undefined;
    const physician = input.physician ? physicians.find((p) => p.handle === input.physician) : undefined;
    const errors: Record<string, string> = {};
    if (input.category && !category) errors.category = "Choose a category from the list.";
    if (input.physician && !physician) errors.physician = "Choose a physician from the list.";
    if (Object.keys(errors).length > 0)
      return reply.render("search/results", { ...model, errors, hasErrors: true }, { title, status: 400 });

    const page = input.page ?? 1;
    const [found, suggested] = await Promise.all([
      search.search(
        q,
        {
          categoryId: category?.id,
          answered: input.answered === "yes" ? true : input.answered === "no" ? false : undefined,
          physicianUserId: physician?.userId,
        },
        page,
      ),
      search.suggest(q),
    ]);
    const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== "")).toString();
    const didYouMean = suggested && {
      text: suggested,
      url: `/search?${new URLSearchParams(Object.entries({ ...values, q: suggested }).filter(([, v]) => v !== "")).toString()}`,
    };
    const base = `/search?${params}`;
    const pages = pagination(base, page, found.pageCount);
    return reply.render(
      "search/results",
      {
        ...model,
        searched: true,
        found,
        didYouMean,
        pastEnd: found.results.length === 0 && found.total > 0,
        firstPageUrl: base,
        pagination: pages,
      },
      { title },
    );
  });
}
