// /account: your details, your application, your posts and their review state; changing your password and
// deleting your account.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hashSessionId as hashOf } from "../auth/session-store.ts";
import type { FieldErrors } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { signOut } from "../plugins/session.ts";
import { createThreadService } from "../threads/service.ts";
import { changePasswordSchema, deleteAccountSchema } from "./schemas.ts";
import { createAccountService } from "./service.ts";

const NOTICES: Record<string, string> = {
  "password-changed": "Your password is changed. You were signed out everywhere else.",
};

export default async function accountRoutes(app: FastifyInstance) {
  const accounts = createAccountService(app.db, app.passwords);
  const threads = createThreadService(app.db);

  async function renderAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { notice?: string; form?: "password" | "delete"; errors?: FieldErrors; values?: FormValues; status?: number } = {},
  ) {
    const [account, posts] = await Promise.all([accounts.overview(request.viewer), threads.myPosts(request.viewer)]);
    const errors = options.errors ?? {};
    return reply.render(
      "accounts/show",
      {
        account,
        posts,
        notice: options.notice,
        passwordForm: { errors: options.form === "password" ? errors : {}, hasErrors: options.form === "password" },
        deleteForm: {
          errors: options.form === "delete" ? errors : {},
          hasErrors: options.form === "delete",
          open: options.form === "delete",
        },
      },
      { title: "Your account", status: options.status },
    );
  }

  app.get("/account", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount");
    const notice = NOTICES[String((request.query as { notice?: unknown }).notice ?? "")];
    return renderAccount(request, reply, { notice });
  });

  app.post("/account/password", async (request, reply) => {
    const form = readForm(request, changePasswordSchema);
    if (!request.viewer || !request.session) return reply.redirect("/login?next=%2Faccount", 303);
    if (!form.ok) return renderAccount(request, reply, { form: "password", errors: form.errors, status: form.status });
    const result = await accounts.changePassword(
      request.viewer,
      hashOf(request.session.id),
      form.data.currentPassword,
      form.data.newPassword,
    );
    if (!result.ok) return renderAccount(request, reply, { form: "password", errors: result.errors, status: result.status });
    return reply.redirect("/account?notice=password-changed", 303);
  });

  app.post("/account/delete", async (request, reply) => {
    const form = readForm(request, deleteAccountSchema);
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount", 303);
    if (!form.ok) return renderAccount(request, reply, { form: "delete", errors: form.errors, status: form.status });
    const result = await accounts.deleteAccount(request.viewer, form.data.password);
    if (!result.ok) return renderAccount(request, reply, { form: "delete", errors: result.errors, status: result.status });
    await signOut(request, reply);
    return reply.render("accounts/deleted", {}, { title: "Account deleted" });
  });
}
