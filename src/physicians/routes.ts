// /physicians: who answers on Curbside, and where each badge came from.
import type { FastifyInstance } from "fastify";
import { createPhysicianService } from "./service.ts";

export default async function physicianRoutes(app: FastifyInstance) {
  const physicians = createPhysicianService(app.db);
  app.get("/physicians", async (_request, reply) => {
    const list = await physicians.listVerified();
    return reply.cacheTags(["physicians"]).render("physicians/list", { physicians: list }, { title: "Physicians" });
  });
}
