// /set-password/:token: the one-time link `npm run admin:create` prints. Showing the page changes nothing;
// the form sets the password, ends any other session, and signs the person in.
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { FieldErrors } from "../lib/errors.ts";
import { readForm } from "../lib/forms.ts";
import { signIn } from "../plugins/session.ts";
import { setPasswordSchema, tokenParam } from "./schemas.ts";
import { findSetupLink, setupPath, usePasswordLink } from "./setup-links.ts";

export default async function setupRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  const gone = (reply: FastifyReply) => reply.render("admin/link-gone", {}, { title: "Link no longer works", status: 410 });
  const page = (reply: FastifyReply, token: string, pseudonym: string | null, errors?: FieldErrors, status?: number) =>
    reply.render(
      "admin/set-password",
      { action: setupPath(token), pseudonym, errors: errors ?? {}, hasErrors: !!errors },
      { title: "Set your password", status },
    );

  app.get("/set-password/:token", { schema: { params: tokenParam } }, async (request, reply) => {
    // The token is a password in all but name: keep it out of caches and of other sites' Referer.
    reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer");
    const link = await findSetupLink(app.db, request.params.token);
    if (!link) return gone(reply);
    return page(reply, request.params.token, link.user.pseudonym);
  });

  app.post("/set-password/:token", { schema: { params: tokenParam } }, async (request, reply) => {
    reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer");
    const { token } = request.params;
    const link = await findSetupLink(app.db, token);
    if (!link) return gone(reply);
    const form = readForm(request, setPasswordSchema);
    if (!form.ok) return page(reply, token, link.user.pseudonym, form.errors, form.status);
    const result = await usePasswordLink(app.db, app.passwords, token, form.data.password);
    if (!result.ok) return gone(reply);
    // A new password ends every session the account had, then opens this one.
    await app.lucia.invalidateUserSessions(result.value.userId);
    app.sessionCache?.forgetUser(result.value.userId);
    await signIn(request, reply, result.value.userId);
    return reply.redirect("/admin/settings", 303);
  });
}
