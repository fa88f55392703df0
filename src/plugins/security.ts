// Security headers on every response, and a refusal of state-changing requests sent from other sites
// (the Origin and Sec-Fetch-Site headers), in front of the per-form CSRF token.
import helmet from "@fastify/helmet";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossSite(request: FastifyRequest, publicUrl: string): boolean {
  const fetchSite = request.headers["sec-fetch-site"];
  if (typeof fetchSite === "string" && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (origin === "null") return true;
  const allowed = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.host}`]);
  return !allowed.has(origin);
}

export default fp(
  async function security(app: FastifyInstance) {
    await app.register(helmet, {
      // A fresh nonce per response: the only scripts that run are our own tags carrying it.
      enableCSPNonces: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: [],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      strictTransportSecurity: app.config.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: "same-origin" },
      crossOriginOpenerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
    });

    app.addHook("onRequest", async (request, reply) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (isCrossSite(request, app.config.publicUrl)) {
        request.log.warn({ origin: request.headers.origin, fetchSite: request.headers["sec-fetch-site"] }, "cross-site request refused");
        return reply
          .code(403)
          .type("text/html; charset=utf-8")
          .send(
            "<!doctype html><title>Request refused · Curbside</title><h1>Request refused</h1><p>This request came from another site, so Curbside refused it. Go back to Curbside and try again there.</p>",
          );
      }
    });
  },
  { name: "security" },
);
