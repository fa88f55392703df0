// Routes that exist only in bench mode (BENCH_MODE=true, never in production): the hello-world baseline the
// benchmark compares every page with, and a CPU profiler the benchmark switches on around one page's load,
// so that a missed target can show where that page's time goes (the same .cpuprofile as node --cpu-prof).
import { mkdir, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { z } from "zod";

const profileBody = z.object({ name: z.string().regex(/^[a-z0-9-]{1,80}$/) });

export default async function benchRoutes(app: FastifyInstance, options: { profileDir: string }) {
  app.get("/__bench/hello", async () => ({ hello: "world" }));

  let session: Session | null = null;
  app.post("/__bench/profile/start", async (_request, reply) => {
    if (session) return reply.code(409).send({ error: "already profiling" });
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
    return { profiling: true };
  });
  app.post("/__bench/profile/stop", async (request, reply) => {
    const parsed = profileBody.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: "name: lowercase letters, digits and dashes" });
    if (!session) return reply.code(409).send({ error: "not profiling" });
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    session = null;
    await mkdir(options.profileDir, { recursive: true });
    const file = join(options.profileDir, `${parsed.data.name}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    return { file };
  });
}
