// Following threads by mail: the thread page's button, and the unsubscribe link in every mail (RFC 8058).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../lib/errors.ts";
import { readForm } from "../lib/forms.ts";
import { idParam } from "../lib/text.ts";
import { followSchema, unsubscribeQuery } from "./schemas.ts";
import { createSubscriptionService } from "./service.ts";

export default async function subscriptionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const subscriptions = createSubscriptionService(app.db, app.config.appSecret as string);

  app.post("/t/:id/follow", { schema: { params: z.object({ id: idParam }) } }, async (request, reply) => {
    const form = readForm(request, followSchema);
    if (!form.ok)
      throw new AppError(form.status === 403 ? "FORBIDDEN" : "INVALID", form.errors._form ?? form.errors.follow ?? "Not saved.");
    const url = await subscriptions.setFollowing(request.viewer, request.params.id, form.data.follow === "on");
    return reply.redirect(url, 303);
  });

  const notRecognised = (reply: FastifyReply, status: number) =>
    reply.render("subscriptions/unsubscribed", { ok: false }, { title: "Link not recognised", status });

  // Opening the link (a person, or a mail provider's link scanner) shows a button and changes nothing.
  app.get("/unsubscribe", async (request, reply) => {
    reply.header("cache-control", "no-store");
    const parsed = unsubscribeQuery.safeParse(request.query);
    if (!parsed.success) return notRecognised(reply, 400);
    if (!subscriptions.isGenuine(parsed.data)) return notRecognised(reply, 403);
    return reply.render(
      "subscriptions/confirm",
      { action: request.url, questions: parsed.data.list === "questions" },
      { title: "Stop these emails?" },
    );
  });

  // RFC 8058's one-click POST: sent by the mail provider without cookies, CSRF token or Origin, authenticated
  // by the signed link alone. The security plugin lets exactly the routes marked `oneClick` through; the CSRF
  // check only records a verdict, which this route does not read.
  const oneClick = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header("cache-control", "no-store");
    const parsed = unsubscribeQuery.safeParse(request.query);
    if (!parsed.success) return notRecognised(reply, 400);
    const done = await subscriptions.unsubscribe(parsed.data);
    if (!done) return notRecognised(reply, 403);
    return reply.render(
      "subscriptions/unsubscribed",
      { ok: true, threadUrl: done.threadUrl, questions: parsed.data.list === "questions" },
      { title: "Unsubscribed" },
    );
  };
  app.register(async (scope) => {
    // RFC 8058 allows the body (List-Unsubscribe=One-Click) as multipart/form-data too; it is not read.
    scope.addContentTypeParser("multipart/form-data", { parseAs: "string", bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));
    scope.post("/unsubscribe", { config: { oneClick: true } }, oneClick);
  });
}
