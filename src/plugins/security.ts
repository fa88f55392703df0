// Security headers on every response, and a refusal of state-changing requests sent from other sites
// (the Origin and Sec-Fetch-Site headers), in front of the per-form CSRF token.
//
// The headers are Helmet's set, written out here: every one but the Content-Security-Policy is the same on
// every response, so it is made once; the CSP differs only by the script nonce. (@fastify/helmet rebuilt and
// re-validated the whole policy, and drew a second nonce for styles we do not inline, on every request.)
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { randomString } from "../lib/random.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * RFC 8058's one-click unsubscribe: a POST from a mail provider, with no Origin of ours, authenticated by
     * the signed URL alone. Only such a route skips the cross-site check.
     */
    oneClick?: boolean;
  }
  interface FastifyReply {
    /** This response's script nonce: the only scripts that run are our own tags carrying it. */
    scriptNonce: string;
  }
}

/** The policy; `script-src` is the nonce alone, added per response. */
const CSP_BEFORE_NONCE = "default-src 'self';script-src 'nonce-";
const CSP_REST = [
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join(";");
const CSP_AFTER_NONCE = `';${CSP_REST}`;

/**
 * The policy of a page from the anonymous page cache, which every reader gets alike: a nonce in it would be
 * shared by everyone, so it names none. Such a page has no inline script (the layout's only <script> loads
 * our own file from this origin; the JSON-LD block is data, which no policy governs), so `'self'` lets
 * exactly that script run; `nosniff` keeps other same-site files from running as scripts.
 */
export const CACHED_PAGE_CSP = `default-src 'self';script-src 'self';${CSP_REST}`;

/** The headers every response carries, as Helmet 8 sets them with the options Curbside used. */
export function staticSecurityHeaders(production: boolean): [string, string][] {
  return [
    ["cross-origin-opener-policy", "same-origin"],
    ["cross-origin-resource-policy", "same-origin"],
    ["origin-agent-cluster", "?1"],
    ["referrer-policy", "same-origin"],
    ...(production ? ([["strict-transport-security", "max-age=31536000; includeSubDomains"]] as [string, string][]) : []),
    ["x-content-type-options", "nosniff"],
    ["x-dns-prefetch-control", "off"],
    ["x-download-options", "noopen"],
    ["x-frame-options", "SAMEORIGIN"],
    ["x-permitted-cross-domain-policies", "none"],
    ["x-xss-protection", "0"],
  ];
}

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
    const headers = staticSecurityHeaders(app.config.production);
    app.decorateReply("scriptNonce", "");
    app.addHook("onRequest", (_request, reply, done) => {
      const nonce = randomString(16, "hex");
      reply.scriptNonce = nonce;
      const raw = reply.raw;
      for (const [name, value] of headers) raw.setHeader(name, value);
      raw.setHeader("content-security-policy", CSP_BEFORE_NONCE + nonce + CSP_AFTER_NONCE);
      done();
    });

    app.addHook("onRequest", (request, reply, done) => {
      if (
        SAFE_METHODS.has(request.method) ||
        request.routeOptions.config?.oneClick === true ||
        !isCrossSite(request, app.config.publicUrl)
      ) {
        return done();
      }
      request.log.warn({ origin: request.headers.origin, fetchSite: request.headers["sec-fetch-site"] }, "cross-site request refused");
      // Answered here: done is not called, so nothing after this hook runs.
      reply
        .code(403)
        .type("text/html; charset=utf-8")
        .send(
          "<!doctype html><title>Request refused · Curbside</title><h1>Request refused</h1><p>This request came from another site, so Curbside refused it. Go back to Curbside and try again there.</p>",
        );
    });
  },
  { name: "security" },
);
