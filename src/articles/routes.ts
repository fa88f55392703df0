// /articles: published articles by tag; writing and editing an article; an article's public history.
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { FieldErrors } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { newSubmissionKey } from "../lib/text.ts";
import { isPreview, type Preview, previewStep, sendPreviewFragment } from "../posting/preview.ts";
import { REFERENCES_MAX } from "../references/references.ts";
import { pagination } from "../threads/routes.ts";
import { idParams } from "../threads/schemas.ts";
import { createThreadService } from "../threads/service.ts";
import { ARTICLE_BODY_MAX, articleListQuery, articleSchema, TAGS_MAX, TITLE_MAX } from "./schemas.ts";
import { createArticleService } from "./service.ts";

export default async function articleRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const articles = createArticleService(app.reader);
  const threads = createThreadService(app.reader, app.postEvents);

  app.get("/articles", { schema: { querystring: articleListQuery } }, async (request, reply) => {
    const { tag, page } = request.query;
    const data = await articles.list(tag, page);
    const base = tag ? `/articles?tag=${encodeURIComponent(tag)}` : "/articles";
    return reply.cacheTags(["articles"]).render(
      "articles/list",
      {
        ...data,
        pagination: pagination(base, page, data.pageCount),
        canWrite: !!request.viewer && request.viewer.physician?.status === "VERIFIED",
      },
      { title: tag ? `Articles tagged “${tag}”` : "Articles" },
    );
  });

  const renderForm = async (
    reply: FastifyReply,
    page: {
      article?: Awaited<ReturnType<typeof articles.forEdit>>;
      values: FormValues;
      errors?: FieldErrors;
      status?: number;
      preview?: Preview;
    },
  ) => {
    const errors = page.errors ?? {};
    const values: FormValues = { ...page.values, _submission: page.values._submission || newSubmissionKey() };
    return reply.render(
      "articles/form",
      {
        article: page.article ?? null,
        action: page.article ? `/articles/${page.article.id}/edit` : "/articles/new",
        values,
        errors,
        hasErrors: Object.keys(errors).length > 0,
        preview: page.preview ?? null,
        categories: (await threads.categories()).map((c) => ({ ...c, selected: values.categoryId === String(c.id) })),
        limits: { title: TITLE_MAX, body: ARTICLE_BODY_MAX, tags: TAGS_MAX, references: REFERENCES_MAX },
      },
      { title: page.article ? "Edit your article" : "Write an article", status: page.status },
    );
  };

  app.get("/articles/new", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Farticles%2Fnew");
    articles.requireWriter(request.viewer);
    return renderForm(reply, { values: {} });
  });

  app.post("/articles/new", async (request, reply) => {
    if (isPreview(request)) {
      const step = await previewStep(request, () => articles.mayUseForm(request.viewer, null));
      if (sendPreviewFragment(request, reply, step)) return reply;
      return renderForm(reply, step.ok ? { values: step.values, preview: step.preview } : step);
    }
    const form = readForm(request, articleSchema);
    if (!form.ok) return renderForm(reply, { values: form.values, errors: form.errors, status: form.status });
    const result = await articles.create(request.viewer, form.data);
    if (!result.ok) return renderForm(reply, { values: form.values, errors: result.errors, status: result.status });
    return reply.redirect(result.value.url, 303);
  });

  app.get("/articles/:id/edit", { schema: { params: idParams } }, async (request, reply) => {
    if (!request.viewer) return reply.redirect(`/login?next=${encodeURIComponent(`/articles/${request.params.id}/edit`)}`);
    const article = await articles.forEdit(request.viewer, request.params.id);
    return renderForm(reply, { article, values: article.values });
  });

  app.post("/articles/:id/edit", { schema: { params: idParams } }, async (request, reply) => {
    const article = await articles.forEdit(request.viewer, request.params.id);
    if (isPreview(request)) {
      const step = await previewStep(request, () => articles.mayUseForm(request.viewer, request.params.id));
      if (sendPreviewFragment(request, reply, step)) return reply;
      return renderForm(reply, step.ok ? { article, values: step.values, preview: step.preview } : { article, ...step });
    }
    const form = readForm(request, articleSchema);
    if (!form.ok) return renderForm(reply, { article, values: form.values, errors: form.errors, status: form.status });
    const result = await articles.edit(request.viewer, request.params.id, form.data);
    if (!result.ok) return renderForm(reply, { article, values: form.values, errors: result.errors, status: result.status });
    return reply.redirect(result.value.url, 303);
  });

  app.get("/articles/:id/history", { schema: { params: idParams } }, async (request, reply) => {
    const history = await articles.history(request.params.id);
    return reply
      .cacheTags([`thread:${request.params.id}`])
      .render("articles/history", history, { title: `History of “${history.article.title}”` });
  });
}
