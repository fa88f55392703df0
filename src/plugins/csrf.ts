// CSRF tokens for every form. The check runs in preValidation (after the body is parsed, before any handler)
// and records its verdict on the request instead of failing it, so each form can re-render with the
// person's text kept and a clear message.
import fastifyCookie from "@fastify/cookie";
import csrfProtection from "@fastify/csrf-protection";
import type { FastifyInstance, FastifyReply } from "fastify";
import fp from "fastify-plugin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "fastify" {
  interface FastifyReply {
    /** Draws a new CSRF secret (a new cookie): every token made from the old one stops working. */
    renewCsrfSecret(): void;
  }
}

export default fp(
  async function csrf(app: FastifyInstance) {
    await app.register(fastifyCookie);
    const secure = app.config.secureCookies;
    const cookieKey = secure ? "__Host-curbside_csrf" : "curbside_csrf";
    await app.register(csrfProtection, {
      cookieKey,
      cookieOpts: { path: "/", sameSite: "lax", httpOnly: true, secure },
      logLevel: "info",
    });
    // At sign-in the secret is drawn again, so no token handed out before it (to anyone) works after it.
    app.decorateReply("renewCsrfSecret", function renewCsrfSecret(this: FastifyReply) {
      delete this.request.cookies[cookieKey];
      this.generateCsrf();
    });
    app.decorateRequest("csrfValid", undefined);
    app.addHook("preValidation", (request, _reply, done) => {
      if (SAFE_METHODS.has(request.method)) return done();
      let failed = false;
      const probe = {
        send: () => {
          failed = true;
        },
      } as unknown as FastifyReply;
      app.csrfProtection(request, probe, () => {});
      request.csrfValid = !failed;
      done();
    });
  },
  { name: "csrf" },
);
