// Pages of plain information: privacy and terms.
import type { FastifyInstance } from "fastify";
import { PRIVACY_NOTICE_VERSION } from "../auth/schemas.ts";

export default async function pageRoutes(app: FastifyInstance) {
  app.get("/privacy", async (_request, reply) =>
    reply.render(
      "pages/privacy",
      {
        retentionDays: app.config.retentionDays,
        idleDays: app.config.session.idleMs / 86_400_000,
        absoluteDays: app.config.session.absoluteMs / 86_400_000,
        noticeVersion: PRIVACY_NOTICE_VERSION,
      },
      { title: "Privacy" },
    ),
  );
  app.get("/terms", async (_request, reply) => reply.render("pages/terms", {}, { title: "Terms of use" }));
}
