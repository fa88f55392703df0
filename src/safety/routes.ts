// The browser's copy of the guard: /safety-rules.json names the fingerprinted script built from the server's
// own modules (asset.ts) and lists the verified physicians, whom a post may name.
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { IMMUTABLE, type Precompressed, precompress, sendPrecompressed } from "../lib/precompressed.ts";
import { guardBundle } from "./asset.ts";
import { createSafetyService, type SafetyService } from "./service.ts";

declare module "fastify" {
  interface FastifyInstance {
    safety: SafetyService;
  }
}

export default fp(
  async function safetyRoutes(app: FastifyInstance, opts: { root: string }) {
    const safety = createSafetyService(app.db);
    app.decorate("safety", safety);
    app.get("/safety-rules.json", async (_request, reply) => {
      const [bundle, context] = await Promise.all([guardBundle(opts.root), safety.context()]);
      return reply
        .header("cache-control", "public, max-age=300")
        .type("application/json; charset=utf-8")
        .send(JSON.stringify({ guard: bundle.url, physicians: context.physicians ?? [] }));
    });
    /** The bundle compressed once, the first time it is asked for. */
    const compressed = new WeakMap<object, Precompressed>();
    app.get("/assets/safety-guard.:hash.js", async (request, reply) => {
      const bundle = await guardBundle(opts.root);
      if (request.url.split("?")[0] !== bundle.url) return reply.code(404).type("text/plain; charset=utf-8").send("Not found");
      const body = compressed.get(bundle) ?? precompress(bundle.body, "text/javascript; charset=utf-8");
      compressed.set(bundle, body);
      return sendPrecompressed(request, reply, body, IMMUTABLE);
    });
  },
  { name: "safety", dependencies: ["assets"] },
);
