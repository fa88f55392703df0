// /physicians: who answers on Curbside, filterable by specialty, and /physicians/:handle, each one's profile.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../lib/errors.ts";
import { readForm } from "../lib/forms.ts";
import { idParam } from "../lib/text.ts";
import { pagination } from "../threads/routes.ts";
import { createInboxService } from "./inbox.ts";
import { handleParams, listQuery, profileQuery } from "./schemas.ts";
import { createPhysicianService } from "./service.ts";

export default async function physicianRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const physicians = createPhysicianService(app.reader);
  const inboxService = createInboxService(app.db);

  app.get("/physicians", { schema: { querystring: listQuery } }, async (request, reply) => {
    const list = await physicians.listVerified(request.query.specialty, request.viewer);
    return reply.cacheTags(["physicians"]).render("physicians/list", list, {
      title: list.chosen ? `Physicians: ${list.chosen}` : "Physicians",
      status: list.unknownSpecialty ? 404 : 200,
    });
  });

  app.get("/inbox", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Finbox");
    const inbox = await inboxService.list(request.viewer);
    const notice = (request.query as { notice?: unknown }).notice === "dismissed" ? "Taken out of your inbox." : undefined;
    return reply.render("physicians/inbox", { ...inbox, notice }, { title: "Your inbox" });
  });

  app.post("/inbox/:id/not-for-me", { schema: { params: z.object({ id: idParam }) } }, async (request, reply) => {
    const form = readForm(request, z.object({}));
    if (!form.ok) throw new AppError("FORBIDDEN", form.errors._form ?? "Not saved.");
    await inboxService.dismiss(request.viewer, request.params.id);
    return reply.redirect("/inbox?notice=dismissed", 303);
  });

  app.get("/physicians/:handle", { schema: { params: handleParams, querystring: profileQuery } }, async (request, reply) => {
    const profile = await physicians.profile(request.params.handle, request.query.page, request.viewer);
    return reply.cacheTags(["physicians"]).render(
      "physicians/profile",
      {
        profile,
        pagination: pagination(`/physicians/${profile.handle}`, profile.page, profile.pageCount),
        feed: profile.lapsed ? undefined : { url: profile.feedUrl, title: `Questions answered by ${profile.name}` },
      },
      { title: profile.name, status: profile.page > profile.pageCount ? 404 : 200 },
    );
  });
}
