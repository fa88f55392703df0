// /account: your details, your application, your posts and their review state; changing your password and
// deleting your account.

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { isRecentlyAuthenticated, markAuthenticated } from "../auth/recent-auth.ts";
import { hashSessionId as hashOf } from "../auth/session-store.ts";
import { type FieldErrors, notFound, retryAfterSeconds } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { signOut } from "../plugins/session.ts";
import { PSEUDONYM_LOOKS_REAL } from "../safety/pseudonym-check.ts";
import { createThreadService } from "../threads/service.ts";
import { createEmailChangeService } from "./email-change.ts";
import {
  BIO_MAX,
  changePasswordSchema,
  DISCLOSURES_MAX,
  deleteAccountSchema,
  emailSchema,
  mailPreferencesSchema,
  pseudonymSchema,
  publicProfileSchema,
  sessionParams,
} from "./schemas.ts";
import { createAccountService } from "./service.ts";

const NOTICES: Record<string, string> = {
  "password-changed": "Your password is changed. You were signed out everywhere else.",
  "pseudonym-changed": "Your pseudonym is changed. Your posts now show it.",
  "email-changed": "Your email address is changed.",
  "email-requested": "We sent a link to the new address. Your email changes once you open it; until then it stays as it was.",
  "password-reset": "Your password is changed. Every other browser was signed out.",
  "two-factor-off": "Two-factor sign-in is off. Sign-in now asks for your password only.",
  "session-ended": "That session is ended: the browser is signed out.",
  "mail-changed": "Your mail about new questions is changed.",
  "profile-changed": "Your public profile is saved.",
};

type AccountForm = "password" | "delete" | "pseudonym" | "email" | "mail" | "profile";

export default async function accountRoutes(app: FastifyInstance) {
  const accounts = createAccountService(app.db, app.passwords, app.signInThrottle);
  const emailChanges = createEmailChangeService({
    db: app.db,
    passwords: app.passwords,
    throttle: app.signInThrottle,
    attempts: app.attempts,
    secret: app.appSecret,
  });
  const threads = createThreadService(app.db, app.postEvents);

  async function renderAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      notice?: string;
      form?: AccountForm;
      errors?: FieldErrors;
      values?: FormValues;
      status?: number;
      retryAfterMs?: number;
    } = {},
  ) {
    if (options.retryAfterMs) reply.header("retry-after", retryAfterSeconds(options.retryAfterMs));
    const currentHash = request.session ? hashOf(request.session.id) : null;
    const [account, posts, sessions, mail, profile, twoFactor] = await Promise.all([
      accounts.overview(request.viewer),
      threads.myPosts(request.viewer),
      accounts.sessions(request.viewer, currentHash),
      accounts.mailPreferences(request.viewer),
      accounts.publicProfile(request.viewer),
      app.db.user.findUnique({ where: { id: request.viewer?.id ?? "" }, select: { totpEnabledAt: true } }),
    ]);
    const errors = options.errors ?? {};
    const formState = (name: AccountForm) => ({
      errors: options.form === name ? errors : {},
      hasErrors: options.form === name,
      values: options.form === name ? (options.values ?? {}) : {},
    });
    return reply.render(
      "accounts/show",
      {
        account,
        twoFactorOn: !!twoFactor?.totpEnabledAt,
        posts,
        notice: options.notice,
        sessions,
        mail: mail && {
          ...mail,
          immediate: mail.questionMail === "IMMEDIATE",
          daily: mail.questionMail === "DAILY",
          off: mail.questionMail === "OFF",
          form: formState("mail"),
        },
        profile: profile && {
          url: profile.url,
          limits: { bio: BIO_MAX, disclosures: DISCLOSURES_MAX },
          form: {
            ...formState("profile"),
            values: options.form === "profile" ? (options.values ?? {}) : { bio: profile.bio, disclosures: profile.disclosures },
          },
        },
        pseudonymForm: { ...formState("pseudonym"), offerKeep: options.form === "pseudonym" && errors.pseudonym === PSEUDONYM_LOOKS_REAL },
        emailForm: formState("email"),
        passwordForm: formState("password"),
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
      request.ip,
    );
    if (!result.ok) return renderAccount(request, reply, { form: "password", ...result });
    await markAuthenticated(app.db, request.session.id);
    return reply.redirect("/account?notice=password-changed", 303);
  });

  app.post("/account/pseudonym", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount", 303);
    const form = readForm(request, pseudonymSchema);
    if (!form.ok)
      return renderAccount(request, reply, { form: "pseudonym", errors: form.errors, values: form.values, status: form.status });
    const result = await accounts.changePseudonym(request.viewer, form.data.pseudonym, form.data.keepPseudonym);
    if (!result.ok)
      return renderAccount(request, reply, { form: "pseudonym", errors: result.errors, values: form.values, status: result.status });
    return reply.redirect("/account?notice=pseudonym-changed", 303);
  });

  app.post("/account/email", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount", 303);
    const form = readForm(request, emailSchema);
    if (!form.ok) return renderAccount(request, reply, { form: "email", errors: form.errors, values: form.values, status: form.status });
    const result = await emailChanges.request(request.viewer, form.data.email, form.data.password, request.ip);
    if (!result.ok) return renderAccount(request, reply, { form: "email", ...result, values: form.values });
    if (request.session) await markAuthenticated(app.db, request.session.id);
    return reply.redirect("/account?notice=email-requested", 303);
  });

  app.post("/account/mail", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount", 303);
    const form = readForm(request, mailPreferencesSchema);
    if (!form.ok) return renderAccount(request, reply, { form: "mail", errors: form.errors, status: form.status });
    const result = await accounts.setMailPreferences(request.viewer, form.data.questionMail, form.data.categoryIds);
    if (!result.ok) return renderAccount(request, reply, { form: "mail", errors: result.errors, status: result.status });
    return reply.redirect("/account?notice=mail-changed", 303);
  });

  app.post("/account/profile", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount", 303);
    const form = readForm(request, publicProfileSchema);
    if (!form.ok) return renderAccount(request, reply, { form: "profile", errors: form.errors, values: form.values, status: form.status });
    const result = await accounts.setPublicProfile(request.viewer, form.data);
    if (!result.ok)
      return renderAccount(request, reply, { form: "profile", errors: result.errors, values: form.values, status: result.status });
    return reply.redirect("/account?notice=profile-changed", 303);
  });

  app.post("/account/sessions/:id/end", { schema: { params: sessionParams } }, async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount", 303);
    const form = readForm(request, z.object({}));
    if (!form.ok) return renderAccount(request, reply, { notice: form.errors._form, status: form.status });
    const { id } = request.params as { id: string };
    const ended = await accounts.endSession(request.viewer, id);
    if (!ended) throw notFound("session");
    // Ending this very session is signing out.
    if (request.session && hashOf(request.session.id) === id) {
      await signOut(request, reply);
      return reply.redirect("/", 303);
    }
    return reply.redirect("/account?notice=session-ended", 303);
  });

  app.get("/account/export", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount%2Fexport");
    // Everything about a person in one file: only with the password (or a code) given in the last 10 minutes.
    if (!request.session || !(await isRecentlyAuthenticated(app.db, request.session.id))) {
      return reply.redirect("/account/confirm?next=%2Faccount%2Fexport");
    }
    const data = await accounts.exportData(request.viewer, request.session ? hashOf(request.session.id) : null);
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .header("cache-control", "no-store")
      .header("content-disposition", `attachment; filename="curbside-data-${day}.json"`)
      .type("application/json; charset=utf-8")
      .send(JSON.stringify(data, null, 2));
  });

  app.post("/account/delete", async (request, reply) => {
    const form = readForm(request, deleteAccountSchema);
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount", 303);
    if (!form.ok) return renderAccount(request, reply, { form: "delete", errors: form.errors, status: form.status });
    const result = await accounts.deleteAccount(request.viewer, form.data.password, request.ip);
    if (!result.ok) return renderAccount(request, reply, { form: "delete", ...result });
    await signOut(request, reply);
    return reply.render("accounts/deleted", {}, { title: "Account deleted" });
  });
}
