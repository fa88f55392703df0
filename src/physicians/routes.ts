// /physicians: who answers on Curbside, filterable by specialty, and /physicians/:handle, each one's profile.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { handleParams, listQuery } from "./schemas.ts";
import { createPhysicianService } from "./service.ts";

export default async function physicianRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const physicians = createPhysicianService(app.db);

  app.get("/physicians", { schema: { querystring: listQuery } }, async (request, reply) => {
    const list = await physicians.listVerified(request.query.specialty);
    return reply.cacheTags(["physicians"]).render("physicians/list", list, {
      title: list.chosen ? `Physicians: ${list.chosen}` : "Physicians",
      status: list.unknownSpecialty ? 404 : 200,
    });
  });

  app.get("/physicians/:handle", { schema: { params: handleParams } }, async (request, reply) => {
    const profile = await physicians.profile(request.params.handle);
    return reply
      .cacheTags(["physicians"])
      .render(
        "physicians/profile",
        { profile, feed: { url: profile.feedUrl, title: `Questions answered by ${profile.name}` } },
        { title: profile.name },
      );
  });
}
