// The safety rules as JSON, so that the browser warns with exactly the server's list while someone types.
import type { FastifyInstance } from "fastify";
import { rulesForBrowser } from "./review.ts";

export default async function safetyRoutes(app: FastifyInstance) {
  const body = JSON.stringify(rulesForBrowser());
  app.get("/safety-rules.json", async (_request, reply) =>
    reply.header("cache-control", "public, max-age=3600").type("application/json; charset=utf-8").send(body),
  );
}
