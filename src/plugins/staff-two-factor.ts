// When the admins require it, a moderator or admin without two-factor sign-in is sent to set it up before any
// staff page (/moderation…, /admin/…): moderators read unpublished health posts.
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { isStaff } from "../auth/viewer.ts";
import { staffTwoFactorRequired } from "../settings/service.ts";

const STAFF_PAGES = /^\/(moderation|admin)(\/|\?|$)/;

export default fp(
  async function staffTwoFactor(app: FastifyInstance) {
    // Written with `done`: it runs before every handler, and for nearly every request it has nothing to ask.
    app.addHook("preHandler", (request, reply, done) => {
      const viewer = request.viewer;
      if (!viewer || viewer.twoFactor || !isStaff(viewer) || !STAFF_PAGES.test(request.url)) return done();
      staffTwoFactorRequired(app.db, app.config.staffTwoFactorDefault).then((required) => {
        if (!required) return done();
        // Answered here: done is not called, so the handler does not run.
        reply.redirect("/account/two-factor?required=1", request.method === "GET" || request.method === "HEAD" ? 302 : 303);
      }, done);
    });
  },
  { name: "staff-two-factor", dependencies: ["session"] },
);
