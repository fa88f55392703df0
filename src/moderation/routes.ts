// /moderation: the review queue and the decisions taken from it. The whole subtree is for moderators;
// the service checks the permission again for every action.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { FieldErrors } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { idParam } from "../lib/text.ts";
import { APPLICATION_REJECTION_REASONS, approveSchema, itemParams, NOTE_MAX, REJECTION_REASONS, rejectSchema } from "./schemas.ts";
import { createModerationService, type ItemKind } from "./service.ts";

const postParams = z.object({ kind: z.enum(["threads", "replies"]), id: idParam });

const NOTICES: Record<string, string> = {
  hidden: "Hidden. Its author still sees it, with your reason.",
  dismissed: "Reports dismissed. The post stays public.",
  approved: "Approved. It is now public.",
  verified: "Physician verified. Their badge now shows on their posts.",
  rejected: "Rejected. The author can see your reason and edit their text.",
};

export default async function moderationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const moderation = createModerationService(app.db);

  // One guard for the subtree: signed-out people are sent to sign in; the service refuses everyone else.
  app.addHook("onRequest", async (request, reply) => {
    if (!request.viewer && request.method === "GET") return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
  });

  async function renderQueue(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { notice?: string; failed?: { key: string; errors: FieldErrors; values: FormValues }; status?: number } = {},
  ) {
    const queue = await moderation.queue(request.viewer);
    const decorate = <T extends { id: number; kind: string }>(item: T, reasons: readonly string[], prefix = "") => {
      const key = `${prefix}${item.kind}-${item.id}`;
      const failed = options.failed?.key === key ? options.failed : null;
      return {
        ...item,
        key,
        approveAction: `/moderation/${item.kind}/${item.id}/approve`,
        rejectAction: `/moderation/${item.kind}/${item.id}/reject`,
        reasons: reasons.map((r) => ({ name: r, selected: failed?.values.reason === r })),
        errors: failed?.errors ?? {},
        hasErrors: !!failed,
        values: failed?.values ?? {},
        noteMax: NOTE_MAX,
      };
    };
    return reply.render(
      "moderation/queue",
      {
        notice: options.notice,
        threads: queue.threads.map((t) => decorate(t, REJECTION_REASONS)),
        replies: queue.replies.map((r) => decorate(r, REJECTION_REASONS)),
        applications: queue.applications.map((a) => decorate(a, APPLICATION_REJECTION_REASONS)),
        flagged: queue.flagged.map((f) => ({
          ...decorate(f, REJECTION_REASONS, "flagged-"),
          hideAction: `/moderation/${f.kind}/${f.id}/hide`,
          dismissAction: `/moderation/${f.kind}/${f.id}/dismiss-flags`,
        })),
        total: queue.total,
      },
      { title: "Moderation", status: options.status },
    );
  }

  app.get("/moderation", { schema: { querystring: z.object({ notice: z.string().max(20).optional() }) } }, async (request, reply) =>
    renderQueue(request, reply, { notice: NOTICES[request.query.notice ?? ""] }),
  );

  app.post("/moderation/:kind/:id/approve", { schema: { params: itemParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const key = `${kind}-${id}`;
    const form = readForm(request, approveSchema);
    if (!form.ok) return renderQueue(request, reply, { failed: { key, errors: form.errors, values: form.values }, status: form.status });
    const result = await moderation.approve(request.viewer, kind as ItemKind, id);
    if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
    return reply.redirect(`/moderation?notice=${kind === "applications" ? "verified" : "approved"}`, 303);
  });

  app.post("/moderation/:kind/:id/hide", { schema: { params: postParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const form = readForm(request, rejectSchema(REJECTION_REASONS));
    if (!form.ok)
      return renderQueue(request, reply, {
        failed: { key: `flagged-${kind}-${id}`, errors: form.errors, values: form.values },
        status: form.status,
      });
    const result = await moderation.hide(request.viewer, kind, id, form.data.reason, form.data.note);
    if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
    return reply.redirect("/moderation?notice=hidden", 303);
  });

  app.post("/moderation/:kind/:id/dismiss-flags", { schema: { params: postParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const form = readForm(request, approveSchema);
    if (!form.ok) return renderQueue(request, reply, { notice: form.errors._form, status: form.status });
    const result = await moderation.dismissFlags(request.viewer, kind, id);
    if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
    return reply.redirect("/moderation?notice=dismissed", 303);
  });

  app.post("/moderation/:kind/:id/reject", { schema: { params: itemParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const key = `${kind}-${id}`;
    const form = readForm(request, rejectSchema(kind === "applications" ? APPLICATION_REJECTION_REASONS : REJECTION_REASONS));
    if (!form.ok) return renderQueue(request, reply, { failed: { key, errors: form.errors, values: form.values }, status: form.status });
    const result = await moderation.reject(request.viewer, kind as ItemKind, id, form.data.reason, form.data.note);
    if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
    return reply.redirect("/moderation?notice=rejected", 303);
  });
}
