// /admin/members: find members and change their role, for admins. The service checks the role again.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, type FieldErrors } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { createMembersService, type MemberRow } from "./members.ts";
import { memberSearchQuery, ROLE_CHOICES, roleChangeSchema } from "./schemas.ts";

const ROLE_LABEL: Record<string, string> = { PATIENT: "Patient", PHYSICIAN: "Physician", MODERATOR: "Moderator", ADMIN: "Admin" };

/** What the page shows of a member: the email too, as only admins reach this page. */
function memberView(m: MemberRow, q: string | undefined, form?: { errors: FieldErrors; values: FormValues }) {
  const chosen = form?.values.role ?? m.role;
  return {
    id: m.id,
    action: `/admin/members/${m.id}/role${q ? `?${new URLSearchParams({ q })}` : ""}`,
    pseudonym: m.pseudonym,
    email: m.email,
    role: ROLE_LABEL[m.role] ?? m.role,
    joined: m.createdAt,
    suspended: !!m.suspendedUntil && m.suspendedUntil.getTime() > Date.now(),
    physician: m.physicianStatus ? m.physicianStatus.toLowerCase() : null,
    changeable: m.role !== "PHYSICIAN",
    roles: ROLE_CHOICES.map((value) => ({ value, label: ROLE_LABEL[value], selected: value === chosen })),
    reason: form?.values.reason ?? "",
    errors: form?.errors ?? {},
    hasErrors: !!form,
  };
}

const NOTICES: Record<string, string> = { changed: "Role changed. The change is in the audit log." };

export default async function membersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const members = createMembersService(app.db);

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    q: string | undefined,
    options: { notice?: string; failed?: { id: string; errors: FieldErrors; values: FormValues }; status?: number } = {},
  ) {
    const found = await members.find(request.viewer, q);
    const failed = options.failed;
    // A form about a member this search no longer lists: its errors go at the top of the page.
    const unlisted = failed && !found.some((m) => m.id === failed.id) ? failed.errors : undefined;
    reply.header("cache-control", "no-store");
    return reply.render(
      "admin/members",
      {
        q: q ?? "",
        searched: !!q,
        members: found.map((m) => memberView(m, q, failed?.id === m.id ? failed : undefined)),
        notice: options.notice,
        errors: unlisted ?? {},
        hasErrors: !!unlisted,
      },
      { title: "Members and roles", status: options.status },
    );
  }

  app.get("/admin/members", { schema: { querystring: memberSearchQuery } }, async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Fadmin%2Fmembers");
    const { q, notice } = request.query;
    return render(request, reply, q || undefined, { notice: notice ? NOTICES[notice] : undefined });
  });

  app.post(
    "/admin/members/:id/role",
    { schema: { params: z.object({ id: z.string().max(100) }), querystring: memberSearchQuery } },
    async (request, reply) => {
      if (!request.viewer) return reply.redirect("/login?next=%2Fadmin%2Fmembers", 303);
      const q = request.query.q || undefined;
      const id = request.params.id;
      if (!z.uuid().safeParse(id).success) throw new AppError("NOT_FOUND", "We couldn't find that member.");
      const form = readForm(request, roleChangeSchema);
      if (!form.ok) return render(request, reply, q, { failed: { id, errors: form.errors, values: form.values }, status: form.status });
      const result = await members.changeRole(request.viewer, id, form.data);
      if (!result.ok) {
        return render(request, reply, q, { failed: { id, errors: result.errors, values: form.values }, status: result.status });
      }
      app.sessionCache?.forgetUser(id);
      const back = new URLSearchParams({ ...(q ? { q } : {}), notice: "changed" });
      return reply.redirect(`/admin/members?${back}`, 303);
    },
  );
}
