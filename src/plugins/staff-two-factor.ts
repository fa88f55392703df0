// When the admins require it, a moderator or admin without two-factor sign-in is sent to set it up before any
// staff page (/moderation…, /admin/…): moderators read unpublished health posts.
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { isStaff } from "../auth/viewer.ts";
import { staffTwoFactorRequired } from "../settings/service.ts";

const STAFF_PAGES = /^\/(moderation|admin)(\/|\?|$)/;

export default fp(
  async function staffTwoFactor(app: FastifyInstance) {
    app.addHook("preHandler", async (request, reply) => {
      const viewer = request.viewer;
      if (!viewer || viewer.twoFactor || !isStaff(viewer) || !STAFF_PAGES.test(request.url)) return;
      if (!(await staffTwoFactorRequired(app.db, app.config.staffTwoFactorDefault))) return;
      return reply.redirect("/account/two-factor?required=1", request.method === "GET" || request.method === "HEAD" ? 302 : 303);
    });
  },
  { name: "staff-two-factor", dependencies: ["session"] },
);
