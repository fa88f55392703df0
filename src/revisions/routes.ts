// Moderators' edit tools: a post's history, and editing a post or a pending edit before approving it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import type { FieldErrors } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { historyParams, redactParams, redactSchema } from "./schemas.ts";
import { createRevisionService } from "./service.ts";

type Target = z.output<typeof redactParams>;

export default async function revisionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const revisions = createRevisionService(app.db, app.postEvents);

  app.addHook("onRequest", async (request, reply) => {
    if (!request.viewer && request.method === "GET") return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
  });

  app.get("/moderation/:kind/:id/history", { schema: { params: historyParams } }, async (request, reply) => {
    const history = await revisions.history(request.viewer, request.params.kind, request.params.id);
    return reply.render("revisions/history", history, { title: "Edit history" });
  });

  async function renderRedact(
    request: FastifyRequest,
    reply: FastifyReply,
    target: Target,
    form: { errors?: FieldErrors; values?: FormValues; status?: number } = {},
  ) {
    const current = await revisions.redactionTarget(request.viewer, target);
    return reply.render(
      "revisions/redact",
      {
        target: { ...current, action: `/moderation/${target.kind}/${target.id}/redact` },
        values: form.values ?? { title: current.title, body: current.body },
        errors: form.errors ?? {},
        hasErrors: !!form.errors,
      },
      { title: "Edit before approving", status: form.status },
    );
  }

  app.get("/moderation/:kind/:id/redact", { schema: { params: redactParams } }, async (request, reply) =>
    renderRedact(request, reply, request.params),
  );

  app.post("/moderation/:kind/:id/redact", { schema: { params: redactParams } }, async (request, reply) => {
    const target = await revisions.redactionTarget(request.viewer, request.params);
    const form = readForm(request, redactSchema(target.isThread));
    if (!form.ok) return renderRedact(request, reply, request.params, form);
    const result = await revisions.redact(
      request.viewer,
      request.params,
      { body: form.data.body, title: target.isThread ? form.data.title : undefined },
      form.data.note,
    );
    if (!result.ok)
      return renderRedact(request, reply, request.params, { errors: result.errors, values: form.values, status: result.status });
    return reply.redirect("/moderation?notice=redacted", 303);
  });
}
