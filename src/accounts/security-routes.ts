// /account/two-factor (set up with a QR code, confirm with a first code, see recovery codes once, turn off),
// /account/confirm ("confirm it's you" before a sensitive action) and /account/email/confirm (the link mailed
// to a new address).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { markAuthenticated } from "../auth/recent-auth.ts";
import { codeSchema, tokenSchema } from "../auth/schemas.ts";
import { describeWait } from "../auth/sign-in-throttle.ts";
import { createTwoFactorService } from "../auth/two-factor-service.ts";
import { type FieldErrors, retryAfterSeconds } from "../lib/errors.ts";
import { readForm } from "../lib/forms.ts";
import { safeRedirectPath } from "../lib/redirect.ts";
import { createEmailChangeService } from "./email-change.ts";
import { disableTwoFactorSchema, reauthSchema } from "./schemas.ts";

export default async function accountSecurityRoutes(app: FastifyInstance) {
  const twoFactor = createTwoFactorService({ db: app.db, passwords: app.passwords, throttle: app.signInThrottle, secret: app.appSecret });
  const emailChanges = createEmailChangeService({
    db: app.db,
    passwords: app.passwords,
    throttle: app.signInThrottle,
    attempts: app.attempts,
    secret: app.appSecret,
  });

  async function setupPage(request: FastifyRequest, reply: FastifyReply, options: { errors?: FieldErrors; status?: number } = {}) {
    // Only showing the page makes a key: a refused form (a forged one included) must change nothing.
    const makeKey = request.method === "GET";
    const [status, setup] = await Promise.all([twoFactor.status(request.viewer), twoFactor.setup(request.viewer, makeKey)]);
    const errors = options.errors ?? {};
    return reply.render(
      "accounts/two-factor",
      {
        enabled: status.enabled,
        enabledAt: status.enabledAt,
        recoveryCodesLeft: status.recoveryCodesLeft,
        required: (request.query as { required?: unknown }).required === "1",
        key: setup?.key,
        qrDataUri: setup?.qrDataUri,
        errors,
        hasErrors: Object.keys(errors).length > 0,
      },
      { title: "Two-factor sign-in", status: options.status },
    );
  }

  app.get("/account/two-factor", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount%2Ftwo-factor");
    return setupPage(request, reply);
  });

  app.post("/account/two-factor", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount%2Ftwo-factor", 303);
    const form = readForm(request, codeSchema);
    if (!form.ok) return setupPage(request, reply, { errors: form.errors, status: form.status });
    const result = await twoFactor.confirmSetup(request.viewer, form.data.code);
    if (!result.ok) return setupPage(request, reply, { errors: result.errors, status: result.status });
    if (request.session) await markAuthenticated(app.db, request.session.id);
    app.sessionCache?.forgetUser(request.viewer.id);
    // Shown this once; only their hashes are kept.
    return reply
      .header("cache-control", "no-store")
      .render("accounts/recovery-codes", { codes: result.value.recoveryCodes }, { title: "Your recovery codes" });
  });

  app.post("/account/two-factor/disable", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount%2Ftwo-factor", 303);
    const form = readForm(request, disableTwoFactorSchema);
    if (!form.ok) return setupPage(request, reply, { errors: form.errors, status: form.status });
    const result = await twoFactor.disable(request.viewer, form.data.password);
    if (!result.ok) return setupPage(request, reply, { errors: result.errors, status: result.status });
    app.sessionCache?.forgetUser(request.viewer.id);
    return reply.redirect("/account?notice=two-factor-off", 303);
  });

  const reauthPage = (reply: FastifyReply, next: string, twoFactorOn: boolean, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      "accounts/confirm",
      { values: { next }, twoFactorOn, errors, hasErrors: Object.keys(errors).length > 0 },
      { title: "Confirm it's you", status },
    );
  const hasTwoFactor = async (userId: string) =>
    !!(await app.db.user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } }))?.totpEnabledAt;

  app.get("/account/confirm", async (request, reply) => {
    const next = safeRedirectPath((request.query as { next?: unknown }).next);
    if (!request.viewer) return reply.redirect(`/login?next=${encodeURIComponent(next)}`);
    return reauthPage(reply, next, await hasTwoFactor(request.viewer.id));
  });

  app.post("/account/confirm", async (request, reply) => {
    const form = readForm(request, reauthSchema);
    const next = safeRedirectPath(form.values.next);
    if (!request.viewer || !request.session) return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
    const twoFactorOn = await hasTwoFactor(request.viewer.id);
    if (!form.ok) return reauthPage(reply, next, twoFactorOn, form.errors, form.status);
    const user = await app.db.user.findUniqueOrThrow({ where: { id: request.viewer.id }, select: { email: true, passwordHash: true } });
    // Counted by the sign-in lock like a sign-in: this form must not become a way round it.
    const attempt = { account: user.email, ip: request.ip };
    const wait = await app.signInThrottle.check(attempt);
    if (wait > 0) {
      reply.header("retry-after", retryAfterSeconds(wait));
      return reauthPage(reply, next, twoFactorOn, { _form: `Too many attempts. Wait ${describeWait(wait)} and try again.` }, 429);
    }
    const code = form.data.code ? codeSchema.safeParse({ code: form.data.code }) : null;
    const good = form.data.password
      ? await app.passwords.verify(user.passwordHash, form.data.password)
      : !!code?.success && (await twoFactor.useCode(request.viewer.id, code.data.code));
    if (!good) {
      await app.signInThrottle.recordFailure(attempt);
      return reauthPage(reply, next, twoFactorOn, { password: "That password or code is not right." }, 401);
    }
    await app.signInThrottle.recordSuccess(attempt);
    await markAuthenticated(app.db, request.session.id);
    return reply.redirect(next, 303);
  });

  app.get("/account/email/confirm", async (request, reply) => {
    const token = tokenSchema.safeParse(request.query);
    const valid = token.success && (await emailChanges.isValid(token.data.token));
    return reply.render(
      "accounts/email-confirm",
      { token: valid && token.success ? token.data.token : "", valid },
      { title: "Confirm your new email", status: valid ? 200 : 410 },
    );
  });

  app.post("/account/email/confirm", async (request, reply) => {
    const form = readForm(request, tokenSchema);
    if (!form.ok)
      return reply.render(
        "accounts/email-confirm",
        { token: form.values.token ?? "", valid: true, errors: form.errors, hasErrors: true },
        { status: form.status, title: "Confirm your new email" },
      );
    const result = await emailChanges.confirm(form.data.token);
    if (!result.ok)
      return reply.render(
        "accounts/email-confirm",
        { valid: false, errors: result.errors, hasErrors: true },
        { status: result.status, title: "Confirm your new email" },
      );
    if (request.viewer?.id === result.value.userId) return reply.redirect("/account?notice=email-changed", 303);
    return reply.render("accounts/email-confirm", { done: true }, { title: "Your email is changed" });
  });
}
