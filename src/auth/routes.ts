// /signup, /login and /logout.
import type { FastifyInstance } from "fastify";
import { retryAfterSeconds } from "../lib/errors.ts";
import { cookiesCannotWork, INSECURE_ORIGIN_MESSAGE, readForm } from "../lib/forms.ts";
import { safeRedirectPath } from "../lib/redirect.ts";
import { signIn, signOut } from "../plugins/session.ts";
import { logInSchema, SPECIALTIES, signUpSchema } from "./schemas.ts";
import { createAuthService } from "./service.ts";

export default async function authRoutes(app: FastifyInstance) {
  const auth = createAuthService({ db: app.db, passwords: app.passwords, throttle: app.signInThrottle });

  const signUpPage = (values: Record<string, string>, errors: Record<string, string> = {}) => ({
    values,
    errors,
    hasErrors: Object.keys(errors).length > 0,
    specialties: SPECIALTIES.map((name) => ({ name, selected: values.specialty === name })),
    physicianChecked: values.isPhysician === "on",
  });

  app.get("/signup", async (request, reply) => {
    if (request.viewer) return reply.redirect("/");
    return reply.render("auth/signup", signUpPage({}), { title: "Join Curbside" });
  });

  app.post("/signup", async (request, reply) => {
    // Already signed in (say, a second tab): no second account.
    if (request.viewer) return reply.redirect("/", 303);
    const form = readForm(request, signUpSchema);
    if (!form.ok) return reply.render("auth/signup", signUpPage(form.values, form.errors), { status: form.status, title: "Join Curbside" });
    const result = await auth.signUp(form.data);
    if (!result.ok) {
      return reply.render("auth/signup", signUpPage(form.values, result.errors), { status: result.status ?? 400, title: "Join Curbside" });
    }
    await signIn(request, reply, result.value.userId);
    return reply.redirect(form.data.isPhysician ? "/account" : "/", 303);
  });

  app.get("/login", async (request, reply) => {
    const next = safeRedirectPath((request.query as { next?: unknown }).next);
    if (request.viewer) return reply.redirect(next);
    return reply.render("auth/login", { values: { next }, errors: {} }, { title: "Sign in" });
  });

  app.post("/login", async (request, reply) => {
    const form = readForm(request, logInSchema);
    const page = (errors: Record<string, string>) => ({
      values: { email: form.values.email ?? "", next: safeRedirectPath(form.values.next) },
      errors,
      hasErrors: true,
    });
    if (!form.ok) return reply.render("auth/login", page(form.errors), { status: form.status, title: "Sign in" });
    const result = await auth.logIn(form.data.email, form.data.password, request.ip);
    if (!result.ok) {
      if (result.retryAfterMs) reply.header("retry-after", retryAfterSeconds(result.retryAfterMs));
      return reply.render("auth/login", page(result.errors), { status: result.status ?? 401, title: "Sign in" });
    }
    await signIn(request, reply, result.value.userId);
    return reply.redirect(safeRedirectPath(form.data.next), 303);
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
