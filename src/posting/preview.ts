// "Preview" on a form that takes Markdown: the text as the server's own renderer shows it, above the form, with
// everything typed kept. Nothing is sent: no row, no safety review (that runs when the person sends), no
// submission key used up. The CSRF check and the form's own "who may" check still apply, so a preview is refused
// to whoever could not send the form. With the header `X-Preview: fragment` (the page's script) only the preview
// section comes back, to be shown in place.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FieldErrors, Result } from "../lib/errors.ts";
import { csrfMessage, type FormValues, submittedValues } from "../lib/forms.ts";
import type { CompiledView } from "../plugins/views.ts";

/** What the preview partial shows: the text (rendered there by the `markdown` helper), or that there is none. */
export interface Preview {
  text: string;
  empty: boolean;
}

export type PreviewStep =
  | { ok: true; values: FormValues; preview: Preview }
  | { ok: false; values: FormValues; errors: FieldErrors; status: number };

/** Whether the form was sent with its "Preview" button. */
export function isPreview(request: FastifyRequest): boolean {
  const body = request.body as Record<string, unknown> | undefined;
  return !!body && typeof body === "object" && body.intent === "preview";
}

/**
 * Reads a preview: refused when the CSRF check fails, or when `mayUse` (the service's check of who may use this
 * form) refuses; it may also throw, as the form's page would (not found, not yours).
 */
export async function previewStep(request: FastifyRequest, mayUse: () => Promise<Result<unknown>>): Promise<PreviewStep> {
  const { intent: _intent, ...values } = submittedValues(request.body);
  if (request.csrfValid !== true) return { ok: false, values, errors: { _form: csrfMessage(request) }, status: 403 };
  const allowed = await mayUse();
  if (!allowed.ok) return { ok: false, values, errors: allowed.errors, status: allowed.status ?? 403 };
  const text = values.body ?? "";
  return { ok: true, values, preview: { text, empty: text.trim() === "" } };
}

const fragments = new WeakMap<object, CompiledView>();

/**
 * For the page's script: the preview section alone (or the refusal's message), never the whole page. Returns
 * false when the request wants the page, so the route renders its form as usual.
 */
export function sendPreviewFragment(request: FastifyRequest, reply: FastifyReply, step: PreviewStep, nested = false): boolean {
  if (request.headers["x-preview"] !== "fragment") return false;
  let view = fragments.get(request.server);
  if (!view) {
    view = request.server.compileView("{{> preview}}");
    fragments.set(request.server, view);
  }
  const model = { preview: step.ok ? step.preview : null, previewErrors: step.ok ? null : Object.values(step.errors), nested };
  reply
    .code(step.ok ? 200 : step.status)
    .type("text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(view(model));
  return true;
}
