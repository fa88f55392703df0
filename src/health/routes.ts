// Liveness and readiness for load balancers and orchestrators.
import type { FastifyInstance } from "fastify";

export default async function healthRoutes(app: FastifyInstance) {
  // Liveness: the process answers. No database work, so a database outage never restarts healthy app processes.
  app.get("/healthz", async (_request, reply) => reply.header("cache-control", "no-store").send({ status: "ok" }));

  // Readiness: the database answers within two seconds. A read replica that is away does not make the instance
  // unready (its reads go to the primary meanwhile); the answer names its state for whoever is looking.
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
      const replica = app.readRouting?.status();
      return reply.send(replica ? { status: "ready", replica: replica.state } : { status: "ready" });
    } catch (error) {
      request.log.warn({ err: error }, "readiness check failed");
      return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
    } finally {
      clearTimeout(timer);
    }
  });
}
