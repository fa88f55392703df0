// /notifications: the signed-in person's notifications, newest first.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError } from "../lib/errors.ts";
import { readForm } from "../lib/forms.ts";
import { idParam } from "../lib/text.ts";
import { createNotificationService } from "./service.ts";

const listQuery = z.object({ before: idParam.optional(), notice: z.literal("read").optional() });

export default async function notificationRoutes(app: FastifyInstance) {
  const notifications = createNotificationService(app.db);

  app.get("/notifications", { schema: { querystring: listQuery } }, async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Fnotifications");
    const query = request.query as z.output<typeof listQuery>;
    const list = await notifications.list(request.viewer, query.before ?? null);
    return reply.render(
      "notifications/list",
      {
        ...list,
        hasUnread: list.items.some((n) => n.unread),
        notice: query.notice === "read" ? "All notifications are marked as read." : undefined,
      },
      { title: "Notifications" },
    );
  });

  app.get("/notifications/:id", { schema: { params: z.object({ id: idParam }) } }, async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Fnotifications");
    const url = await notifications.open(request.viewer, (request.params as { id: number }).id);
    return reply.redirect(url);
  });

  app.post("/notifications/read", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Fnotifications", 303);
    const form = readForm(request, z.object({}));
    if (!form.ok) throw new AppError("FORBIDDEN", form.errors._form ?? "Not saved.");
    await notifications.markAllRead(request.viewer);
    return reply.redirect("/notifications?notice=read", 303);
  });
}
