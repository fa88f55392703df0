// Following threads by mail: the thread page's button, and the one-click unsubscribe link in every mail.
import type { FastifyInstance } from "fastify";
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

  // GET, so that one click in a mail is enough; it only ever removes a subscription, and is signed.
  app.get("/unsubscribe", async (request, reply) => {
    const parsed = unsubscribeQuery.safeParse(request.query);
    const done = parsed.success ? await subscriptions.unsubscribe(parsed.data.u, parsed.data.t, parsed.data.s) : null;
    reply.header("cache-control", "no-store");
    if (!done)
      return reply.render(
        "subscriptions/unsubscribed",
        { ok: false },
        { title: "Link not recognised", status: parsed.success ? 403 : 400 },
      );
    return reply.render("subscriptions/unsubscribed", { ok: true, threadUrl: done.url }, { title: "Unsubscribed" });
  });
}
