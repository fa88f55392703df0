// POST /replies/:id/agree, /helpful and /accept: the buttons under a physician's answer.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { AppError } from "../lib/errors.ts";
import { readForm } from "../lib/forms.ts";
import { signalParams, signalSchema } from "./schemas.ts";
import { createSignalService, type Signal } from "./service.ts";

export default async function signalRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const signals = createSignalService(app.db);
  for (const signal of ["agree", "helpful", "accept"] as Signal[]) {
    app.post(`/replies/:id/${signal}`, { schema: { params: signalParams } }, async (request, reply) => {
      const form = readForm(request, signalSchema);
      // A button form holds no text to keep: a refusal is a page that says why.
      if (!form.ok) throw new AppError(form.status === 403 ? "FORBIDDEN" : "INVALID", Object.values(form.errors)[0] ?? "Not saved.");
      const url = await signals.mark(request.viewer, signal, request.params.id, form.data.on === "yes");
      return reply.redirect(url, 303);
    });
  }
}
