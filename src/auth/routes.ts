// /signup (and the link that confirms it), /login (and its two-factor step), /logout.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { retryAfterSeconds } from "../lib/errors.ts";
import { cookiesCannotWork, INSECURE_ORIGIN_MESSAGE, readForm } from "../lib/forms.ts";
import { safeRedirectPath } from "../lib/redirect.ts";
import { tokenHash } from "../mail/tokens.ts";
import { signIn, signOut } from "../plugins/session.ts";
import { BODY_MAX, TITLE_MAX } from "../threads/schemas.ts";
import { createThreadService } from "../threads/service.ts";
import { releaseHeldQuestion } from "./held-question.ts";
import { codeSchema, logInSchema, signUpSchema, tokenSchema } from "./schemas.ts";
import { createAuthService } from "./service.ts";
import { createSignUpService } from "./signup.ts";
import { PENDING_LOGIN_COOKIE, pendingLoginCookieOptions, pendingLoginToken, readPendingLogin } from "./two-factor.ts";
import { createTwoFactorService } from "./two-factor-service.ts";
import { checkEmailPage, signInPage, signUpPage } from "./view-models.ts";

export default async function authRoutes(app: FastifyInstance) {
  const auth = createAuthService({ db: app.db, passwords: app.passwords, throttle: app.signInThrottle });
  const signUps = createSignUpService({
    db: app.db,
    passwords: app.passwords,
    attempts: app.attempts,
    secret: app.appSecret,
    publicUrl: app.config.publicUrl,
  });
  const twoFactor = createTwoFactorService({ db: app.db, passwords: app.passwords, throttle: app.signInThrottle, secret: app.appSecret });
  const threads = createThreadService(app.db, app.postEvents);
  const pendingCookie = pendingLoginCookieOptions(app.config.secureCookies);

  app.get("/signup", async (request, reply) => {
    const next = (request.query as { next?: unknown }).next;
    if (request.viewer) return reply.redirect(safeRedirectPath(next));
    return reply.render("auth/signup", signUpPage(typeof next === "string" ? { next } : {}), { title: "Join Curbside" });
  });

  app.post("/signup", async (request, reply) => {
    // Already signed in (say, a second tab): no second account.
    if (request.viewer) return reply.redirect("/", 303);
    const form = readForm(request, signUpSchema);
    if (!form.ok) return reply.render("auth/signup", signUpPage(form.values, form.errors), { status: form.status, title: "Join Curbside" });
    const result = await signUps.start(form.data, request.ip);
    if (!result.ok) {
      return reply.render("auth/signup", signUpPage(form.values, result.errors), { status: result.status ?? 400, title: "Join Curbside" });
    }
    return reply.render("auth/check-email", checkEmailPage(form.values), { title: "Check your email to finish" });
  });

  // The mailed link shows a button rather than acting: mail scanners open links, people press buttons.
  app.get("/signup/confirm", async (request, reply) => {
    const token = tokenSchema.safeParse(request.query);
    const valid = token.success && (await signUps.isPending(token.data.token));
    return reply.render(
      "auth/confirm",
      { token: valid && token.success ? token.data.token : "", valid },
      { title: "Finish joining", status: valid ? 200 : 410 },
    );
  });

  app.post("/signup/confirm", async (request, reply) => {
    const form = readForm(request, tokenSchema);
    if (!form.ok)
      return reply.render(
        "auth/confirm",
        { token: form.values.token ?? "", valid: true, errors: form.errors, hasErrors: true },
        { status: form.status, title: "Finish joining" },
      );
    const result = await signUps.confirm(form.data.token);
    if (!result.ok)
      return reply.render(
        "auth/confirm",
        { valid: false, errors: result.errors, hasErrors: true },
        { status: result.status, title: "Finish joining" },
      );
    await signIn(request, reply, result.value.userId);
    const { draft, next } = result.value;
    if (!draft) return reply.redirect(next ?? "/", 303);
    // The new member as the posting pipeline sees them (new accounts have no badge yet).
    const user = await app.db.user.findUniqueOrThrow({ where: { id: result.value.userId }, select: { role: true, pseudonym: true } });
    const viewer = { id: result.value.userId, role: user.role, pseudonym: user.pseudonym, physician: null, emailConfirmed: true };
    const held = await releaseHeldQuestion(threads, viewer, draft, tokenHash(form.data.token));
    if ("threadId" in held) return reply.redirect(`/t/${held.threadId}`, 303);
    // Not sent after all (its category is gone, or a blocked word): the text comes back on the ask form.
    const categories = (await threads.categories()).map((c) => ({ ...c, selected: c.id === draft.categoryId }));
    return reply.render(
      "threads/ask",
      {
        values: { title: draft.title, body: draft.body, categoryId: String(draft.categoryId), to: draft.to ?? "" },
        errors: held.errors,
        hasErrors: true,
        categories,
        limits: { title: TITLE_MAX, body: BODY_MAX },
        safety: null,
        addressee: null,
      },
      { title: "Ask a question", status: 200 },
    );
  });

  app.get("/login", async (request, reply) => {
    const next = safeRedirectPath((request.query as { next?: unknown }).next);
    if (request.viewer) return reply.redirect(next);
    return reply.render("auth/login", signInPage({ next }), { title: "Sign in" });
  });

  app.post("/login", async (request, reply) => {
    const form = readForm(request, logInSchema);
    const page = (errors: Record<string, string>) => signInPage(form.values, errors);
    if (!form.ok) return reply.render("auth/login", page(form.errors), { status: form.status, title: "Sign in" });
    const result = await auth.logIn(form.data.email, form.data.password, request.ip);
    if (!result.ok) {
      if (result.retryAfterMs) reply.header("retry-after", retryAfterSeconds(result.retryAfterMs));
      return reply.render("auth/login", page(result.errors), { status: result.status ?? 401, title: "Sign in" });
    }
    const next = safeRedirectPath(form.data.next);
    if (result.value.twoFactor) {
      // Half signed in: a signed, short-lived token that only opens the code page. No session yet.
      reply.setCookie(PENDING_LOGIN_COOKIE, pendingLoginToken(app.appSecret, result.value.userId), pendingCookie);
      return reply.redirect(`/login/two-factor?next=${encodeURIComponent(next)}`, 303);
    }
    await signIn(request, reply, result.value.userId);
    return reply.redirect(next, 303);
  });

  const pendingUser = (request: FastifyRequest) => readPendingLogin(app.appSecret, request.cookies[PENDING_LOGIN_COOKIE]);
  const codePage = (reply: FastifyReply, next: string, errors: Record<string, string> = {}, status = 200) =>
    reply.render(
      "auth/two-factor",
      { values: { next }, errors, hasErrors: Object.keys(errors).length > 0 },
      { title: "Enter your code", status },
    );

  app.get("/login/two-factor", async (request, reply) => {
    const next = safeRedirectPath((request.query as { next?: unknown }).next);
    if (request.viewer) return reply.redirect(next);
    if (!pendingUser(request)) return reply.redirect(`/login?next=${encodeURIComponent(next)}`);
    return codePage(reply, next);
  });

  app.post("/login/two-factor", async (request, reply) => {
    const form = readForm(request, codeSchema);
    const next = safeRedirectPath(form.values.next);
    if (!form.ok) return codePage(reply, next, form.errors, form.status);
    const userId = pendingUser(request);
    if (!userId) {
      return reply.render("auth/login", signInPage({ next }, { _form: "That took too long. Sign in again." }), {
        status: 401,
        title: "Sign in",
      });
    }
    const result = await twoFactor.finishSignIn(userId, form.data.code, request.ip);
    if (!result.ok) {
      if (result.retryAfterMs) reply.header("retry-after", retryAfterSeconds(result.retryAfterMs));
      return codePage(reply, next, result.errors, result.status);
    }
    reply.clearCookie(PENDING_LOGIN_COOKIE, { path: "/login" });
    await signIn(request, reply, userId);
    return reply.redirect(next, 303);
  });

  app.post("/logout", async (request, reply) => {
    // A forged sign-out is a nuisance, not a leak; still, without a valid token we ask instead of acting.
    if (request.csrfValid !== true) {
      return reply.render(
        "auth/logout",
        { insecure: cookiesCannotWork(app.config) ? INSECURE_ORIGIN_MESSAGE : undefined },
        { status: 403, title: "Sign out" },
      );
    }
    await signOut(request, reply);
    return reply.redirect("/", 303);
  });
}
