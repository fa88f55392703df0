// Liveness and readiness for load balancers and orchestrators.
import type { FastifyInstance } from "fastify";

export default async function healthRoutes(app: FastifyInstance) {
  // Liveness: the process answers. No database work, so a database outage never restarts healthy app processes.
  app.get("/healthz", async (_request, reply) => reply.header("cache-control", "no-store").send({ status: "ok" }));

  // Readiness: the database answers within two seconds.
  app.get("/readyz", async (request, reply) => {
    reply.header("cache-control", "no-store");
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        app.db.$queryRaw`SELECT 1`,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("database ping timed out")), 2_000);
        }),
      ]);
      return reply.send({ status: "ready" });
    } catch (error) {
      request.log.warn({ err: error }, "readiness check failed");
      return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
    } finally {
      clearTimeout(timer);
    }
  });
}
