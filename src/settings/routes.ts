// /admin/settings: the moderation rules, for admins. The service checks the role again.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FieldErrors } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { settingsSchema, staffTwoFactorSchema } from "./schemas.ts";
import { createSettingsService, type Settings, staffTwoFactorRequired } from "./service.ts";

/** The form's fields as text, from stored settings. */
function asValues(s: Settings): FormValues {
  return {
    holdMode: s.trustAfterApproved === 0 ? "all" : "trusted",
    trustAfterApproved: s.trustAfterApproved === 0 ? "" : String(s.trustAfterApproved),
    holdLinksAt: String(s.holdLinksAt),
    watchedHold: s.watchedHold.join("\n"),
    watchedBlock: s.watchedBlock.join("\n"),
    newAccountQuestions: String(s.newAccountQuestions),
    newAccountReplies: String(s.newAccountReplies),
    questionsPerHour: String(s.questionsPerHour),
    repliesPerHour: String(s.repliesPerHour),
    rejectionReasons: s.rejectionReasons.join("\n"),
    flagThreshold: String(s.flagThreshold),
    flagAction: s.flagAction,
    verificationGraceDays: String(s.verificationGraceDays),
  };
}

export default async function settingsRoutes(app: FastifyInstance) {
  const settings = createSettingsService(app.db);

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldErrors; values?: FormValues; notice?: string; status?: number } = {},
  ) {
    const current = await settings.forEditing(request.viewer);
    const values = options.values ?? asValues(current.settings);
    return reply.render(
      "settings/edit",
      {
        values,
        holdAll: values.holdMode !== "trusted",
        escalate: values.flagAction !== "HIDE",
        errors: options.errors ?? {},
        hasErrors: !!options.errors,
        notice: options.notice,
        updatedAt: current.updatedAt,
        updatedBy: current.updatedBy,
        staffTwoFactor: await staffTwoFactorRequired(app.db, app.config.staffTwoFactorDefault),
      },
      { title: "Moderation settings", status: options.status },
    );
  }

  app.get("/admin/settings", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Fadmin%2Fsettings");
    const saved = (request.query as { notice?: unknown }).notice === "saved";
    return render(request, reply, { notice: saved ? "Settings saved. They apply to the next post." : undefined });
  });

  app.post("/admin/settings", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Fadmin%2Fsettings", 303);
    const form = readForm(request, settingsSchema);
    if (!form.ok) return render(request, reply, { errors: form.errors, values: form.values, status: form.status });
    const saved = await settings.update(request.viewer, form.data);
    if (!saved.ok) return render(request, reply, { errors: saved.errors, values: form.values, status: saved.status });
    return reply.redirect("/admin/settings?notice=saved", 303);
  });

  app.post("/admin/settings/two-factor", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Fadmin%2Fsettings", 303);
    const form = readForm(request, staffTwoFactorSchema);
    if (!form.ok) return render(request, reply, { errors: form.errors, status: form.status });
    await settings.setStaffTwoFactor(request.viewer, form.data.staffTwoFactor === "required");
    return reply.redirect("/admin/settings?notice=saved", 303);
  });
}
