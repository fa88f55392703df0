// Reads an urlencoded form against its zod schema. Every failure, a forged or expired CSRF token included,
// comes back as field errors plus the text the person typed, so the route can re-render the form with both.
import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import type { FieldErrors } from "./errors.ts";

export type FormValues = Record<string, string>;

export type FormResult<T> =
  | { ok: true; data: T; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues; status: number };

export const CSRF_MESSAGE =
  "This form had expired or did not come from this site, so nothing was saved. Check your text and send it again.";

/** Said instead when the site cannot work at all: Secure cookies on a site served over plain http. */
export const INSECURE_ORIGIN_MESSAGE =
  "This form could not be checked, so nothing was saved: this site is set up to send its cookies over https only (Secure cookies), but its address (PUBLIC_URL) is plain http, so your browser drops them. The site's operator must serve it over https and set PUBLIC_URL to the https address, or, for a trial on this computer only, set SECURE_COOKIES=false.";

/** Whether cookies are Secure while the site's address is http:// (browsers then drop them). */
export function cookiesCannotWork(config: { secureCookies: boolean; publicUrl: string }): boolean {
  return config.secureCookies && config.publicUrl.startsWith("http://");
}

/** Why a form's CSRF check failed, in words the reader (or the operator) can act on. */
export function csrfMessage(request: FastifyRequest): string {
  return cookiesCannotWork(request.server.config) ? INSECURE_ORIGIN_MESSAGE : CSRF_MESSAGE;
}

/** The strings the person submitted (never the CSRF token), for putting back into the form. */
export function submittedValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (body && typeof body === "object") {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key === "_csrf") continue;
      if (typeof value === "string") values[key] = value;
      else if (Array.isArray(value) && typeof value[0] === "string") values[key] = value[0];
    }
  }
  return values;
}

export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "_form";
    errors[key] ??= issue.message;
  }
  return errors;
}

export function readForm<S extends z.ZodType>(request: FastifyRequest, schema: S): FormResult<z.output<S>> {
  const values = submittedValues(request.body);
  if (request.csrfValid !== true) {
    return { ok: false, errors: { _form: csrfMessage(request) }, values, status: 403 };
  }
  const parsed = schema.safeParse(request.body ?? {});
  if (!parsed.success) return { ok: false, errors: zodFieldErrors(parsed.error), values, status: 400 };
  return { ok: true, data: parsed.data, values };
}
