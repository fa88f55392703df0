// Reporting a post: a small form that works without JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { FieldErrors } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { idParams } from "../threads/schemas.ts";
import { FLAG_REASONS, flagSchema } from "./schemas.ts";
import { createFlagService, type FlagTarget } from "./service.ts";

export default async function flagRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const flags = createFlagService(app.db, app.postEvents);

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    t: FlagTarget,
    values: FormValues = {},
    errors: FieldErrors = {},
    status?: number,
  ) {
    if (!request.viewer) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
    const post = await flags.reportable(request.viewer, t);
    return reply.render(
      "flags/new",
      {
        post,
        action: request.url,
        values,
        errors,
        hasErrors: Object.keys(errors).length > 0,
        reasons: Object.entries(FLAG_REASONS).map(([value, label]) => ({ value, label, checked: values.reason === value })),
      },
      { title: "Report a post", status },
    );
  }

  async function submit(request: FastifyRequest, reply: FastifyReply, t: FlagTarget) {
    const form = readForm(request, flagSchema);
    if (!form.ok) return renderForm(request, reply, t, form.values, form.errors, form.status);
    if (!request.viewer) return renderForm(request, reply, t, form.values, {}, 401);
    const result = await flags.report(request.viewer, t, form.data.reason, form.data.note);
    if (!result.ok) return renderForm(request, reply, t, form.values, result.errors, result.status);
    return reply.render("flags/done", { backUrl: result.value.backUrl, already: result.value.already }, { title: "Thank you" });
  }

  app.get("/t/:id/report", { schema: { params: idParams } }, (request, reply) =>
    renderForm(request, reply, { kind: "threads", id: request.params.id }),
  );
  app.post("/t/:id/report", { schema: { params: idParams } }, (request, reply) =>
    submit(request, reply, { kind: "threads", id: request.params.id }),
  );
  app.get("/replies/:id/report", { schema: { params: idParams } }, (request, reply) =>
    renderForm(request, reply, { kind: "replies", id: request.params.id }),
  );
  app.post("/replies/:id/report", { schema: { params: idParams } }, (request, reply) =>
    submit(request, reply, { kind: "replies", id: request.params.id }),
  );
}
