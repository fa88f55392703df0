// "Forgot your password?": /login/forgot asks for the address and answers every address alike; /login/reset is
// the mailed link's page, where the new password is chosen.
import type { FastifyInstance } from "fastify";
import { readForm } from "../lib/forms.ts";
import { signIn } from "../plugins/session.ts";
import { createPasswordResetService } from "./password-reset.ts";
import { forgotSchema, resetSchema, tokenSchema } from "./schemas.ts";
import { PENDING_LOGIN_COOKIE, pendingLoginCookieOptions, pendingLoginToken } from "./two-factor.ts";

export default async function recoveryRoutes(app: FastifyInstance) {
  const resets = createPasswordResetService({ db: app.db, passwords: app.passwords, attempts: app.attempts, secret: app.appSecret });

  app.get("/login/forgot", async (_request, reply) => {
    return reply.render("auth/forgot", { values: {}, errors: {} }, { title: "Reset your password" });
  });

  app.post("/login/forgot", async (request, reply) => {
    const form = readForm(request, forgotSchema);
    if (!form.ok) {
      return reply.render(
        "auth/forgot",
        { values: form.values, errors: form.errors, hasErrors: true },
        { status: form.status, title: "Reset your password" },
      );
    }
    const result = await resets.request(form.data.email, request.ip);
    if (!result.ok) {
      return reply.render(
        "auth/forgot",
        { values: form.values, errors: result.errors, hasErrors: true },
        { status: result.status, title: "Reset your password" },
      );
    }
    // The same page whether or not the address has an account.
    return reply.render("auth/forgot-sent", { email: form.data.email }, { title: "Check your email" });
  });

  app.get("/login/reset", async (request, reply) => {
    const token = tokenSchema.safeParse(request.query);
    const valid = token.success && (await resets.isValid(token.data.token));
    return reply.render(
      "auth/reset",
      { token: valid && token.success ? token.data.token : "", valid, errors: {} },
      { title: "Choose a new password", status: valid ? 200 : 410 },
    );
  });

  app.post("/login/reset", async (request, reply) => {
    const form = readForm(request, resetSchema);
    const page = (errors: Record<string, string>, valid = true) => ({ token: form.values.token ?? "", valid, errors, hasErrors: true });
    if (!form.ok) return reply.render("auth/reset", page(form.errors), { status: form.status, title: "Choose a new password" });
    const result = await resets.complete(form.data.token, form.data.password);
    if (!result.ok)
      return reply.render("auth/reset", page(result.errors, false), { status: result.status, title: "Choose a new password" });
    app.sessionCache?.forgetUser(result.value.userId);
    await app.signInThrottle.recordSuccess({ account: result.value.email, ip: request.ip });
    const user = await app.db.user.findUniqueOrThrow({ where: { id: result.value.userId }, select: { totpEnabledAt: true } });
    if (user.totpEnabledAt) {
      // A mailbox is not a second factor: with two-factor on, the code is still asked.
      reply.setCookie(
        PENDING_LOGIN_COOKIE,
        pendingLoginToken(app.appSecret, result.value.userId),
        pendingLoginCookieOptions(app.config.secureCookies),
      );
      return reply.redirect("/login/two-factor?next=%2Faccount%3Fnotice%3Dpassword-reset", 303);
    }
    await signIn(request, reply, result.value.userId);
    return reply.redirect("/account?notice=password-reset", 303);
  });
}
