// Home, categories, thread pages, asking, replying, and editing a post that is awaiting review.

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { draftValues, signUpPage } from "../auth/view-models.ts";
import type { FieldErrors } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { idParam, newSubmissionKey } from "../lib/text.ts";
import { isPreview, type Preview, previewStep, sendPreviewFragment } from "../posting/preview.ts";
import { reviewBeforePosting, type SafetyReview } from "../safety/review.ts";
import { CATEGORY_SORTS, SORT_LABELS } from "./lists.ts";
import { createThreadPages } from "./page.ts";
import { replyFormWords } from "./reply-form-words.ts";
import {
  askSchema,
  BODY_MAX,
  categoryParams,
  categoryQuery,
  editReplySchema,
  idParams,
  listQuery,
  REPLY_MAX,
  replySchema,
  TITLE_MAX,
  threadParams,
  threadQuery,
  withdrawSchema,
} from "./schemas.ts";
import { createThreadService } from "./service.ts";
import { qaPageData } from "./view-models.ts";

const SITE_LISTS = {
  latest: { heading: "Latest", lead: "Questions and articles with the newest activity first: a new answer brings a thread to the top." },
  unanswered: { heading: "Unanswered", lead: "Questions no physician has answered yet, newest first." },
} as const;

const SIGNED_OUT = "You're signed out, so nothing was saved. Sign in (in another tab if you like), then send your text again.";

export default async function threadRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const threads = createThreadService(app.reader, app.postEvents);
  const threadPageFor = createThreadPages(app, threads);

  app.get("/", async (_request, reply) => {
    const home = await threads.home();
    return reply
      .cacheTags(["home"])
      .render("threads/home", { ...home, feed: { url: "/feeds/answered.atom", title: "Newly answered questions" } });
  });

  // Site-wide lists; every change to a public thread drops the "home" tag, so they share it.
  for (const which of ["latest", "unanswered"] as const) {
    app.get(`/${which}`, { schema: { querystring: listQuery } }, async (request, reply) => {
      const data = await threads.list(which, request.query.page);
      return reply
        .cacheTags(["home"])
        .render(
          "threads/list",
          { ...data, ...SITE_LISTS[which], pagination: pagination(`/${which}`, data.page, data.pageCount) },
          { title: data.page > 1 ? `${SITE_LISTS[which].heading} (page ${data.page})` : SITE_LISTS[which].heading },
        );
    });
  }

  app.get("/c/:slug", { schema: { params: categoryParams, querystring: categoryQuery } }, async (request, reply) => {
    const { sort, page } = request.query;
    const data = await threads.category(request.params.slug, sort, page);
    const base = sort === "activity" ? data.category.url : `${data.category.url}?sort=${sort}`;
    return reply.cacheTags([`category:${data.category.id}`]).render(
      "threads/category",
      {
        ...data,
        sorts: CATEGORY_SORTS.map((s) => ({
          label: SORT_LABELS[s],
          href: s === "activity" ? data.category.url : `${data.category.url}?sort=${s}`,
          current: s === sort,
        })),
        isUnansweredList: sort === "unanswered",
        pagination: pagination(base, data.page, data.pageCount),
        feed: { url: `${data.category.url}/feed.atom`, title: `Answered questions in ${data.category.name}` },
      },
      { title: data.page > 1 ? `${data.category.name} (page ${data.page})` : data.category.name },
    );
  });

  async function renderThread(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    page: number,
    form: {
      replyTo?: number;
      values?: FormValues;
      errors?: FieldErrors;
      status?: number;
      safety?: SafetyReview;
      preview?: Preview;
      withdrawErrors?: FieldErrors;
    } = {},
  ) {
    const { data, replyList } = await threadPageFor(request, reply, id, page);
    const replyTo = form.replyTo ? await threads.replyTarget(request.viewer, id, form.replyTo) : null;
    // Stored only under the thread's own addresses: a made-up slug or ?replyto=N is rendered, never stored.
    const pageSuffix = data.page > 1 ? `?page=${data.page}` : "";
    return reply.cacheTags([`thread:${id}`], [`/t/${id}${pageSuffix}`, `${data.thread.url}${pageSuffix}`]).render(
      "threads/show",
      {
        ...data,
        /** The replies' HTML, rendered by our templates from `data.replies` (see reply-list.ts). */
        replyList,
        pagination: pagination(data.thread.url, data.page, data.pageCount),
        replyForm: {
          action: `/t/${id}/replies`,
          signedIn: !!request.viewer,
          loginUrl: `/login?next=${encodeURIComponent(data.thread.url)}`,
          signUpUrl: `/signup?next=${encodeURIComponent(data.thread.url)}`,
          replyTo,
          values: { ...form.values, _submission: form.values?._submission || newSubmissionKey() },
          errors: form.errors ?? {},
          hasErrors: !!form.errors && Object.keys(form.errors).length > 0,
          max: REPLY_MAX,
          safety: form.safety,
          preview: form.preview ?? null,
          canCite: data.canCite,
          words: replyFormWords(request.viewer, { isArticle: data.thread.isArticle, isOwn: data.thread.isOwn }),
        },
        // For search engines, which are never signed in: a signed-in page is personal (it may hold the viewer's
        // own pending posts) and is not indexed, and the block repeats every answer's text.
        structuredData: request.viewer ? null : qaPageData(data.thread, data.replies, app.config.publicUrl),
        // One address per page for search engines: /t/ID, a stale slug, ?page=1 and ?replyto=N all show a page
        // that is also at its thread's own URL.
        canonicalUrl: `${app.config.publicUrl}${data.thread.url}${data.page > 1 ? `?page=${data.page}` : ""}`,
        follow: request.viewer && data.thread.isOpen ? { action: `/t/${id}/follow`, following: data.following } : null,
        withdrawForm: { errors: form.withdrawErrors ?? {}, hasErrors: !!form.withdrawErrors, open: !!form.withdrawErrors },
      },
      { title: data.thread.title, status: form.status },
    );
  }

  const showThread = async (
    request: FastifyRequest<{ Params: { id: number }; Querystring: { page: number; replyto?: number | "" } }>,
    reply: FastifyReply,
  ) => {
    const { replyto } = request.query;
    return renderThread(request, reply, request.params.id, request.query.page, { replyTo: replyto === "" ? undefined : replyto });
  };
  app.get("/t/:id", { schema: { params: threadParams, querystring: threadQuery } }, showThread);
  app.get("/t/:id/:slug", { schema: { params: threadParams, querystring: threadQuery } }, showThread);

  app.post("/t/:id/replies", { schema: { params: idParams } }, async (request, reply) => {
    const form = readForm(request, replySchema);
    const parsedParent = idParam.safeParse(form.values.parentId);
    const replyTo = parsedParent.success ? parsedParent.data : undefined;
    if (isPreview(request)) {
      const step = await previewStep(request, () => threads.mayUseForm(request.viewer, { replyTo: request.params.id }));
      if (sendPreviewFragment(request, reply, step, true)) return reply;
      return renderThread(request, reply, request.params.id, 1, {
        replyTo,
        values: step.values,
        ...(step.ok ? { preview: step.preview } : { errors: step.errors, status: step.status }),
      });
    }
    if (!form.ok)
      return renderThread(request, reply, request.params.id, 1, { replyTo, values: form.values, errors: form.errors, status: form.status });
    if (!request.viewer)
      return renderThread(request, reply, request.params.id, 1, {
        replyTo,
        values: form.values,
        errors: { _form: SIGNED_OUT },
        status: 401,
      });
    // Signs of an emergency or identifying details: show the author before anything is sent.
    const step = reviewBeforePosting(form.data._reviewed, { body: form.data.body }, await app.safety.context());
    if (step.show) return renderThread(request, reply, request.params.id, 1, { replyTo, values: form.values, safety: step.show });
    const result = await threads.reply(request.viewer, request.params.id, { ...form.data, ...step.post });
    if (!result.ok) {
      return renderThread(request, reply, request.params.id, 1, { values: form.values, errors: result.errors, status: result.status });
    }
    return reply.redirect(result.value.url, 303);
  });

  const askPage = async (
    values: FormValues,
    errors: FieldErrors = {},
    safety: SafetyReview | null = null,
    preview: Preview | null = null,
  ) => ({
    preview,
    addressee: values.to && /^[a-z0-9-]{1,80}$/.test(values.to) ? await threads.addressee(values.to) : null,
    values: { ...values, _submission: values._submission || newSubmissionKey() },
    safety,
    errors,
    hasErrors: Object.keys(errors).length > 0,
    categories: (await threads.categories()).map((c) => ({ ...c, selected: values.categoryId === String(c.id) })),
    limits: { title: TITLE_MAX, body: BODY_MAX },
  });

  // Signed out, the form is there too: the question is kept while its writer joins (or signs in).
  app.get("/ask", async (request, reply) => {
    const to = (request.query as { to?: unknown }).to;
    const handle = typeof to === "string" && /^[a-z0-9-]{1,80}$/.test(to) ? to : "";
    const page = await askPage(handle ? { to: handle } : {});
    return reply.render("threads/ask", { ...page, signedOut: !request.viewer }, { title: "Ask a question" });
  });

  app.post("/ask", async (request, reply) => {
    if (isPreview(request)) {
      const step = await previewStep(request, () => threads.mayUseForm(request.viewer, { ask: true }));
      if (sendPreviewFragment(request, reply, step)) return reply;
      const page = step.ok ? await askPage(step.values, {}, null, step.preview) : await askPage(step.values, step.errors);
      return reply.render(
        "threads/ask",
        { ...page, signedOut: !request.viewer },
        { status: step.ok ? 200 : step.status, title: "Ask a question" },
      );
    }
    const form = readForm(request, askSchema);
    if (!form.ok)
      return reply.render(
        "threads/ask",
        { ...(await askPage(form.values, form.errors)), signedOut: !request.viewer },
        { status: form.status, title: "Ask a question" },
      );
    const step = reviewBeforePosting(form.data._reviewed, { title: form.data.title, body: form.data.body }, await app.safety.context());
    if (step.show) return reply.render("threads/ask", await askPage(form.values, {}, step.show), { title: "Ask a question" });
    // Asked to join: the question rides along with the sign-up and enters the queue once the address is confirmed.
    if (!request.viewer) {
      const draft = draftValues({ ...step.post, categoryId: form.data.categoryId, to: form.data.to });
      return reply.render("auth/signup", signUpPage({ ...draft, next: "/ask" }), { title: "Join Curbside to send your question" });
    }
    const result = await threads.ask(request.viewer, { ...form.data, ...step.post });
    if (!result.ok)
      return reply.render("threads/ask", await askPage(form.values, result.errors), { status: result.status, title: "Ask a question" });
    return reply.redirect(`/t/${result.value.threadId}`, 303);
  });

  app.get("/t/:id/edit", { schema: { params: idParams } }, async (request, reply) => {
    const thread = await threads.threadForEdit(request.viewer, request.params.id);
    if (thread.kind === "ARTICLE") return reply.redirect(`/articles/${thread.id}/edit`);
    return reply.render("threads/edit", { ...(await askPage(thread.values)), thread }, { title: "Edit your question" });
  });

  app.post("/t/:id/edit", { schema: { params: idParams } }, async (request, reply) => {
    const thread = await threads.threadForEdit(request.viewer, request.params.id);
    if (isPreview(request)) {
      const step = await previewStep(request, () => threads.mayUseForm(request.viewer, { editThread: request.params.id }));
      if (sendPreviewFragment(request, reply, step)) return reply;
      const page = step.ok ? await askPage(step.values, {}, null, step.preview) : await askPage(step.values, step.errors);
      return reply.render("threads/edit", { ...page, thread }, { status: step.ok ? 200 : step.status, title: "Edit your question" });
    }
    const form = readForm(request, askSchema);
    if (!form.ok)
      return reply.render(
        "threads/edit",
        { ...(await askPage(form.values, form.errors)), thread },
        { status: form.status, title: "Edit your question" },
      );
    const step = reviewBeforePosting(form.data._reviewed, { title: form.data.title, body: form.data.body }, await app.safety.context());
    if (step.show)
      return reply.render("threads/edit", { ...(await askPage(form.values, {}, step.show)), thread }, { title: "Edit your question" });
    const result = await threads.editThread(request.viewer, request.params.id, { ...form.data, ...step.post });
    if (!result.ok)
      return reply.render(
        "threads/edit",
        { ...(await askPage(form.values, result.errors)), thread },
        { status: result.status, title: "Edit your question" },
      );
    return reply.redirect(result.value.url, 303);
  });

  app.post("/t/:id/withdraw", { schema: { params: idParams } }, async (request, reply) => {
    const form = readForm(request, withdrawSchema);
    if (!form.ok) return renderThread(request, reply, request.params.id, 1, { withdrawErrors: form.errors, status: form.status });
    const result = await threads.withdraw(request.viewer, request.params.id);
    if (!result.ok) return renderThread(request, reply, request.params.id, 1, { withdrawErrors: result.errors, status: result.status });
    return reply.redirect(result.value.url, 303);
  });

  app.get("/replies/:id/edit", { schema: { params: idParams } }, async (request, reply) => {
    const target = await threads.replyForEdit(request.viewer, request.params.id);
    return reply.render(
      "threads/edit-reply",
      { reply: target, values: target.values, errors: {}, max: REPLY_MAX },
      { title: "Edit your reply" },
    );
  });

  app.post("/replies/:id/edit", { schema: { params: idParams } }, async (request, reply) => {
    const target = await threads.replyForEdit(request.viewer, request.params.id);
    const form = readForm(request, editReplySchema);
    const rerender = (errors: FieldErrors, status?: number, safety: SafetyReview | null = null, preview: Preview | null = null) =>
      reply.render(
        "threads/edit-reply",
        { reply: target, values: form.values, errors, hasErrors: Object.keys(errors).length > 0, max: REPLY_MAX, safety, preview },
        { status, title: "Edit your reply" },
      );
    if (isPreview(request)) {
      const step = await previewStep(request, () => threads.mayUseForm(request.viewer, { editReply: request.params.id }));
      if (sendPreviewFragment(request, reply, step)) return reply;
      return step.ok ? rerender({}, 200, null, step.preview) : rerender(step.errors, step.status);
    }
    if (!form.ok) return rerender(form.errors, form.status);
    const step = reviewBeforePosting(form.data._reviewed, { body: form.data.body }, await app.safety.context());
    if (step.show) return rerender({}, 200, step.show);
    const result = await threads.editReply(request.viewer, request.params.id, { body: step.post.body, references: form.data.references });
    if (!result.ok) return rerender(result.errors, result.status);
    return reply.redirect(result.value.url, 303);
  });
}

/** Page links for a list: previous, numbered pages around the current one, next. */
export function pagination(baseUrl: string, page: number, pageCount: number) {
  if (pageCount <= 1) return null;
  const href = (p: number) => (p === 1 ? baseUrl : `${baseUrl}${baseUrl.includes("?") ? "&" : "?"}page=${p}`);
  const pages: { number: number; href: string; current: boolean }[] = [];
  const add = (p: number) => {
    if (p >= 1 && p <= pageCount && !pages.some((x) => x.number === p)) pages.push({ number: p, href: href(p), current: p === page });
  };
  add(1);
  for (let p = page - 2; p <= page + 2; p++) add(p);
  add(pageCount);
  pages.sort((a, b) => a.number - b.number);
  const items: ({ gap: true } | { number: number; href: string; current: boolean })[] = [];
  pages.forEach((p, i) => {
    const previous = pages[i - 1];
    if (previous && p.number - previous.number > 1) items.push({ gap: true });
    items.push(p);
  });
  return {
    items,
    previous: page > 1 ? href(page - 1) : null,
    next: page < pageCount ? href(page + 1) : null,
    page,
    pageCount,
  };
}
