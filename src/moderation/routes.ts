// /moderation: the review queue and the decisions taken from it. The whole subtree is for moderators;
// the service checks the permission again for every action.

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, type FieldErrors } from "../lib/errors.ts";
import { type FormValues, readForm } from "../lib/forms.ts";
import { idParam } from "../lib/text.ts";
import { createRevisionService } from "../revisions/service.ts";
import { loadSettings, rejectionChoices } from "../settings/service.ts";
import { createModerationLog } from "./log.ts";
import {
  APPLICATION_REJECTION_REASONS,
  approveSchema,
  auditQuery,
  bulkSchema,
  itemParams,
  NOTE_MAX,
  QUEUE_VIEWS,
  queueQuery,
  rejectSchema,
  requestChangesSchema,
  restrictSchema,
  reverseSchema,
  revokeSchema,
  userParams,
  type VerifyInput,
  verifySchema,
} from "./schemas.ts";
import { createModerationService } from "./service.ts";

const postParams = z.object({ kind: z.enum(["threads", "replies"]), id: idParam });

const VIEW_LABELS: Record<(typeof QUEUE_VIEWS)[number], string> = {
  all: "Everything",
  reports: "Reports",
  questions: "Questions",
  replies: "Replies",
  edits: "Edits",
  applications: "Physician applications",
};

/** "bulk-approve-12-1" → "Approved 12. 1 had already been decided by someone else." */
function bulkNotice(code: string): string | undefined {
  const m = code.match(/^bulk-(approve|reject)-(\d+)-(\d+)$/);
  if (!m) return undefined;
  const [, decision, done, skipped] = m;
  const verb = decision === "approve" ? "Approved" : "Rejected";
  return `${verb} ${done}.${skipped !== "0" ? ` ${skipped} had already been decided by someone else.` : ""}`;
}

const NOTICES: Record<string, string> = {
  hidden: "Hidden. Its author still sees it, with your reason.",
  dismissed: "Reports dismissed. The post stays public.",
  restored: "Restored: the post is public again, and its author told.",
  changes: "Sent back to the author with your note. It returns here once they edit it.",
  approved: "Approved. It is now public.",
  verified: "Physician verified. Their badge now shows on their posts.",
  rejected: "Rejected. The author can see your reason and edit their text.",
  "edit-approved": "Edit approved: the post now shows it.",
  "edit-rejected": "Edit rejected: the earlier version stays, and the author is told why.",
  redacted: "Edited. The removed text is in no history; the log records your note.",
};

const MEMBER_NOTICES: Record<"done" | "revoked" | "rechecked", string> = {
  done: "Saved, and written to the moderation log.",
  revoked: "Verification revoked. The badge is gone from every post, and the log has your reason.",
  rechecked: "Licence checked again: the new check and the next re-check date are recorded, and the badge shows.",
};

export default async function moderationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const moderation = createModerationService(app.db, app.postEvents);
  const moderationLog = createModerationLog(app.db);
  const revisions = createRevisionService(app.db, app.postEvents);
  /** The rejection reasons the admins configured, plus "Other". */
  const reasons = async () => rejectionChoices(await loadSettings(app.db));

  // One guard for the subtree: signed-out people are sent to sign in; the service refuses everyone else.
  app.addHook("onRequest", async (request, reply) => {
    if (!request.viewer && request.method === "GET") return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
  });

  async function renderQueue(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      notice?: string;
      failed?: { key: string; errors: FieldErrors; values: FormValues };
      bulk?: { errors: FieldErrors; values: FormValues };
      show?: (typeof QUEUE_VIEWS)[number];
      status?: number;
    } = {},
  ) {
    // The item whose form came back is shown even beyond the first page, so its note comes back with it.
    const focused = /^(flagged-)?(threads|replies)-(\d+)$/.exec(options.failed?.key ?? "");
    const focus = focused ? { kind: focused[2] ?? "", id: Number(focused[3]), flagged: !!focused[1] } : undefined;
    const [queue, edits] = await Promise.all([
      moderation.queue(request.viewer, focus, options.show ?? "all"),
      revisions.pendingEdits(request.viewer),
    ]);
    const decorate = <T extends { id: number; kind: string }>(item: T, reasons: readonly string[], prefix = "") => {
      const key = `${prefix}${item.kind}-${item.id}`;
      const failed = options.failed?.key === key ? options.failed : null;
      const isPost = item.kind === "threads" || item.kind === "replies";
      return {
        ...item,
        key,
        approveAction: `/moderation/${item.kind}/${item.id}/approve`,
        requestChangesAction: isPost ? `/moderation/${item.kind}/${item.id}/request-changes` : null,
        claimAction: isPost ? `/moderation/${item.kind}/${item.id}/claim` : null,
        releaseAction: isPost ? `/moderation/${item.kind}/${item.id}/release` : null,
        redactUrl: isPost || item.kind === "edits" ? `/moderation/${item.kind}/${item.id}/redact` : null,
        historyUrl: isPost ? `/moderation/${item.kind}/${item.id}/history` : null,
        rejectAction: `/moderation/${item.kind}/${item.id}/reject`,
        reasons: reasons.map((r) => ({ name: r, selected: failed?.values.reason === r })),
        errors: failed?.errors ?? {},
        hasErrors: !!failed,
        values: failed?.values ?? {},
        noteMax: NOTE_MAX,
      };
    };
    return reply.render(
      "moderation/queue",
      {
        notice: options.notice,
        threads: queue.threads.map((t) => decorate(t, queue.rejectionReasons)),
        replies: queue.replies.map((r) => decorate(r, queue.rejectionReasons)),
        applications: queue.applications.map((a) => decorate(a, APPLICATION_REJECTION_REASONS)),
        edits: edits.map((e) => decorate(e, queue.rejectionReasons)),
        dueForCheck: queue.dueForCheck,
        flagged: queue.flagged.map((f) => ({
          ...decorate(f, queue.rejectionReasons, "flagged-"),
          hideAction: `/moderation/${f.kind}/${f.id}/hide`,
          dismissAction: `/moderation/${f.kind}/${f.id}/dismiss-flags`,
        })),
        physicianNames: queue.physicianNames,
        total: queue.total + edits.length,
        more: queue.more,
        show: Object.fromEntries(QUEUE_VIEWS.map((v) => [v, (options.show ?? "all") === "all" || options.show === v])),
        views: QUEUE_VIEWS.map((v) => ({
          name: v,
          label: VIEW_LABELS[v],
          url: v === "all" ? "/moderation" : `/moderation?show=${v}`,
          current: (options.show ?? "all") === v,
        })),
        bulk: {
          errors: options.bulk?.errors ?? {},
          hasErrors: !!options.bulk,
          reasons: queue.rejectionReasons.map((r) => ({ name: r, selected: options.bulk?.values.reason === r })),
          note: options.bulk?.values.note ?? "",
          noteMax: NOTE_MAX,
        },
      },
      { title: "Moderation", status: options.status },
    );
  }

  app.get("/moderation", { schema: { querystring: queueQuery } }, async (request, reply) => {
    const notice = request.query.notice?.startsWith("bulk-") ? bulkNotice(request.query.notice) : NOTICES[request.query.notice ?? ""];
    return renderQueue(request, reply, { notice, show: request.query.show });
  });

  app.post("/moderation/bulk", async (request, reply) => {
    const form = readForm(request, bulkSchema(await reasons()));
    if (!form.ok) return renderQueue(request, reply, { bulk: { errors: form.errors, values: form.values }, status: form.status });
    const { done, skipped } = await moderation.bulk(request.viewer, form.data.items, form.data.decision, form.data.reason, form.data.note);
    return reply.redirect(`/moderation?notice=bulk-${form.data.decision}-${done}-${skipped}`, 303);
  });

  async function renderLog(
    request: FastifyRequest,
    reply: FastifyReply,
    q: z.output<typeof auditQuery>,
    options: { failed?: { key: string; errors: FieldErrors; values: FormValues }; status?: number } = {},
  ) {
    const filter = {
      actor: q.actor || undefined,
      action: q.action || undefined,
      from: q.from || undefined,
      to: q.to || undefined,
      before: q.before ? BigInt(q.before) : undefined,
    };
    const log = await moderationLog.page(request.viewer, filter);
    const params = new URLSearchParams(
      Object.entries({ actor: q.actor ?? "", action: q.action ?? "", from: q.from ?? "", to: q.to ?? "" }).filter(([, v]) => v),
    );
    return reply.render(
      "moderation/log",
      {
        ...log,
        entries: log.entries.map((e) => {
          const key = `log-${e.id}`;
          const failed = options.failed?.key === key ? options.failed : null;
          return {
            ...e,
            key,
            reverse: e.reverseAction
              ? { action: e.reverseAction, errors: failed?.errors ?? {}, open: !!failed, note: failed?.values.note ?? "" }
              : null,
          };
        }),
        notice: options.failed
          ? (options.failed.errors._form ?? options.failed.errors.note)
          : q.notice === "reversed"
            ? "Decision reversed, and the reversal logged."
            : undefined,
        filter: { from: q.from ?? "", to: q.to ?? "" },
        staff: log.staff.map((s) => ({ ...s, selected: s.id === q.actor })),
        actions: log.actions.map((a) => ({ ...a, selected: a.value === q.action })),
        nextUrl: log.nextBefore ? `/moderation/log?${new URLSearchParams([...params, ["before", log.nextBefore]])}` : null,
        newestUrl: q.before ? `/moderation/log${params.size ? `?${params}` : ""}` : null,
      },
      { title: "Moderation log", status: options.status },
    );
  }

  app.get("/moderation/log", { schema: { querystring: auditQuery } }, async (request, reply) => renderLog(request, reply, request.query));

  app.post("/moderation/:kind/:id/approve", { schema: { params: itemParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const key = `${kind}-${id}`;
    // Verifying a physician records how the licence was checked; the other approvals take no fields.
    const form = kind === "applications" ? readForm(request, verifySchema) : readForm(request, approveSchema);
    if (!form.ok) return renderQueue(request, reply, { failed: { key, errors: form.errors, values: form.values }, status: form.status });
    const result =
      kind === "edits"
        ? await revisions.approveEdit(request.viewer, id)
        : await moderation.approve(request.viewer, kind, id, kind === "applications" ? (form.data as VerifyInput) : undefined);
    if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
    return reply.redirect(
      `/moderation?notice=${kind === "applications" ? "verified" : kind === "edits" ? "edit-approved" : "approved"}`,
      303,
    );
  });

  app.post("/moderation/:kind/:id/hide", { schema: { params: postParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const form = readForm(request, rejectSchema(await reasons()));
    if (!form.ok)
      return renderQueue(request, reply, {
        failed: { key: `flagged-${kind}-${id}`, errors: form.errors, values: form.values },
        status: form.status,
      });
    const result = await moderation.hide(request.viewer, kind, id, form.data.reason, form.data.note);
    if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
    return reply.redirect("/moderation?notice=hidden", 303);
  });

  app.post("/moderation/:kind/:id/request-changes", { schema: { params: postParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const form = readForm(request, requestChangesSchema);
    if (!form.ok) {
      const changes = form.errors.note ?? form.errors._form ?? "Tell the author what to change.";
      return renderQueue(request, reply, {
        failed: { key: `${kind}-${id}`, errors: { changes }, values: { changes: form.values.note ?? "" } },
        status: form.status,
      });
    }
    const result = await moderation.requestChanges(request.viewer, kind, id, form.data.note);
    if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
    return reply.redirect("/moderation?notice=changes", 303);
  });

  for (const action of ["claim", "release"] as const) {
    app.post(`/moderation/:kind/:id/${action}`, { schema: { params: postParams } }, async (request, reply) => {
      const { kind, id } = request.params;
      const form = readForm(request, approveSchema);
      if (!form.ok) return renderQueue(request, reply, { notice: form.errors._form, status: form.status });
      const result =
        action === "claim" ? await moderation.claim(request.viewer, kind, id) : await moderation.release(request.viewer, kind, id);
      if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
      return reply.redirect(`/moderation#${kind}-${id}`, 303);
    });
  }

  app.post("/moderation/:kind/:id/reverse", { schema: { params: postParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const form = readForm(request, reverseSchema);
    const key = `log-${form.values.entry ?? ""}`;
    if (!form.ok) return renderLog(request, reply, {}, { failed: { key, errors: form.errors, values: form.values }, status: form.status });
    const result = await moderation.reverse(request.viewer, kind, id, form.data.note);
    if (!result.ok)
      return renderLog(request, reply, {}, { failed: { key, errors: result.errors, values: form.values }, status: result.status });
    return reply.redirect("/moderation/log?notice=reversed", 303);
  });

  async function renderMember(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: { errors?: FieldErrors; values?: FormValues; status?: number; notice?: string; form?: "restrict" | "revoke" | "recheck" } = {},
  ) {
    const member = await moderation.member(request.viewer, id);
    const values = form.values ?? {};
    const which = form.form ?? "restrict";
    const errorsOf = (name: typeof which) => (which === name ? (form.errors ?? {}) : {});
    const hasErrorsOf = (name: typeof which) => which === name && !!form.errors && Object.keys(form.errors).length > 0;
    const recheckValues = which === "recheck" ? values : {};
    return reply.render(
      "moderation/member",
      {
        member,
        notice: form.notice,
        errors: errorsOf("restrict"),
        hasErrors: hasErrorsOf("restrict"),
        revokeForm: {
          errors: errorsOf("revoke"),
          hasErrors: hasErrorsOf("revoke"),
          reason: which === "revoke" ? (values.reason ?? "") : "",
        },
        recheckForm: {
          errors: errorsOf("recheck"),
          hasErrors: hasErrorsOf("recheck"),
          values: {
            registryName: recheckValues.registryName ?? member.physician?.registryName ?? "",
            registryReference: recheckValues.registryReference ?? member.physician?.registryReference ?? "",
            checkedOn: recheckValues.checkedOn ?? new Date().toISOString().slice(0, 10),
            reverifyBy: recheckValues.reverifyBy ?? "",
          },
        },
        values: { days: values.days ?? "7", message: values.message ?? "" },
        actions: [
          { value: "suspend", label: "Suspend: no posting or replying", checked: (values.action ?? "suspend") === "suspend" },
          { value: "silence", label: "Silence: every post is held for review", checked: values.action === "silence" },
          { value: "lift", label: "Lift any restriction", checked: values.action === "lift" },
        ],
      },
      { title: `Member ${member.pseudonym}`, status: form.status },
    );
  }

  app.get(
    "/moderation/users/:id",
    { schema: { params: userParams, querystring: z.object({ notice: z.enum(["done", "revoked", "rechecked"]).optional() }) } },
    async (request, reply) =>
      renderMember(request, reply, request.params.id, {
        notice: request.query.notice ? MEMBER_NOTICES[request.query.notice] : undefined,
      }),
  );

  app.post("/moderation/users/:id/recheck", { schema: { params: userParams } }, async (request, reply) => {
    const form = readForm(request, verifySchema);
    const failed = (errors: FieldErrors, status: number | undefined) =>
      renderMember(request, reply, request.params.id, { errors, values: form.values, status, form: "recheck" });
    if (!form.ok) return failed(form.errors, form.status);
    const result = await moderation.recheck(request.viewer, request.params.id, form.data);
    if (!result.ok) return failed(result.errors, result.status);
    return reply.redirect(`/moderation/users/${request.params.id}?notice=rechecked`, 303);
  });

  app.post("/moderation/users/:id/revoke", { schema: { params: userParams } }, async (request, reply) => {
    const form = readForm(request, revokeSchema);
    if (!form.ok)
      return renderMember(request, reply, request.params.id, {
        errors: form.errors,
        values: form.values,
        status: form.status,
        form: "revoke",
      });
    const result = await moderation.revoke(request.viewer, request.params.id, form.data.reason);
    if (!result.ok)
      return renderMember(request, reply, request.params.id, {
        errors: result.errors,
        values: form.values,
        status: result.status,
        form: "revoke",
      });
    return reply.redirect(`/moderation/users/${request.params.id}?notice=revoked`, 303);
  });

  app.post("/moderation/users/:id/restrict", { schema: { params: userParams } }, async (request, reply) => {
    const form = readForm(request, restrictSchema);
    if (!form.ok) return renderMember(request, reply, request.params.id, { errors: form.errors, values: form.values, status: form.status });
    const result = await moderation.restrict(request.viewer, request.params.id, form.data.action, form.data.days, form.data.message);
    if (!result.ok)
      return renderMember(request, reply, request.params.id, { errors: result.errors, values: form.values, status: result.status });
    return reply.redirect(`/moderation/users/${request.params.id}?notice=done`, 303);
  });

  for (const [path, locked] of [
    ["/moderation/threads/:id/lock", true],
    ["/moderation/threads/:id/unlock", false],
  ] as const) {
    app.post(path, { schema: { params: z.object({ id: idParam }) } }, async (request, reply) => {
      const form = readForm(request, approveSchema);
      if (!form.ok) throw new AppError("FORBIDDEN", form.errors._form ?? "This form had expired. Go back and try again.");
      const result = await moderation.setLocked(request.viewer, request.params.id, locked);
      if (!result.ok) throw new AppError("CONFLICT", result.errors._form ?? "Nothing changed.");
      return reply.redirect(`/t/${request.params.id}`, 303);
    });
  }

  app.post("/moderation/:kind/:id/dismiss-flags", { schema: { params: postParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const form = readForm(request, approveSchema);
    if (!form.ok) return renderQueue(request, reply, { notice: form.errors._form, status: form.status });
    const result = await moderation.dismissFlags(request.viewer, kind, id);
    if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
    return reply.redirect(`/moderation?notice=${result.value.restored ? "restored" : "dismissed"}`, 303);
  });

  app.post("/moderation/:kind/:id/reject", { schema: { params: itemParams } }, async (request, reply) => {
    const { kind, id } = request.params;
    const key = `${kind}-${id}`;
    const form = readForm(request, rejectSchema(kind === "applications" ? APPLICATION_REJECTION_REASONS : await reasons()));
    if (!form.ok) return renderQueue(request, reply, { failed: { key, errors: form.errors, values: form.values }, status: form.status });
    const reason = form.data.note.trim() === "" ? form.data.reason : `${form.data.reason}: ${form.data.note}`;
    const result =
      kind === "edits"
        ? await revisions.rejectEdit(request.viewer, id, reason)
        : await moderation.reject(request.viewer, kind, id, form.data.reason, form.data.note);
    if (!result.ok) return renderQueue(request, reply, { notice: result.errors._form, status: result.status });
    return reply.redirect(`/moderation?notice=${kind === "edits" ? "edit-rejected" : "rejected"}`, 303);
  });
}
