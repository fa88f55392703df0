// Turns every failure into a page a person can act on: a stable status, a kind message, the details in the log.
// Never a stack trace or SQL on a page.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../lib/errors.ts";
import { submittedValues } from "../lib/forms.ts";

const DB_UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1017", "P2024", "ECONNREFUSED", "ECONNRESET", "57P01", "57P03"]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const err = e as { code?: string; name?: string; message?: string; cause?: unknown; kind?: string };
    if (err.code && DB_UNAVAILABLE_CODES.has(err.code)) return true;
    if (err.name === "DriverAdapterError" || err.kind === "DatabaseNotReachable") return true;
    if (
      typeof err.message === "string" &&
      /Can't reach database|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(err.message)
    )
      return true;
    e = err.cause;
  }
  return false;
}

interface ErrorPage {
  status: number;
  title: string;
  message: string;
}

function describe(error: FastifyError | AppError | Error): ErrorPage {
  if (error instanceof AppError) {
    const titles: Record<number, string> = {
      414: "Address too long",
      401: "Please sign in",
      403: "Not allowed",
      404: "Page not found",
      409: "Already changed",
      429: "Too many requests",
    };
    return { status: error.statusCode, title: titles[error.statusCode] ?? "Something is not right", message: error.publicMessage };
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    if (fe.validationContext === "params") {
      return { status: 404, title: "Page not found", message: "We couldn't find that page." };
    }
    return { status: 400, title: "Something is not right", message: "Part of that address isn't valid. Check the link and try again." };
  }
  // The static file server refuses a path that leaves public/ ("..", a NUL byte): for a reader, that file isn't there.
  if (fe.code === "FST_STATIC_FORBIDDEN_PATH") {
    return { status: 404, title: "Page not found", message: "We couldn't find that page." };
  }
  switch (fe.statusCode) {
    case 413:
      return { status: 413, title: "Too large", message: "That was more text than Curbside accepts at once. Shorten it and try again." };
    case 415:
      return { status: 415, title: "Not understood", message: "Curbside couldn't read that request. Send it from the form on the page." };
    case 429:
      return {
        status: 429,
        title: "Too many requests",
        message: "You've made a lot of requests in a short time. Wait a minute and try again.",
      };
    case 400:
      return { status: 400, title: "Something is not right", message: "Curbside couldn't understand that request. Go back and try again." };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      title: "Back soon",
      message: "Curbside can't reach its database right now. Nothing you saved is lost; please try again in a minute.",
    };
  }
  return { status: 500, title: "Something went wrong", message: "Something went wrong on our side. It has been logged; please try again." };
}

const PASSWORD_FIELD = /password/i;

/** A form that could not be saved because the database is away comes back with the person's text and a retry button. */
function renderUnsaved(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const fields = Object.entries(submittedValues(request.body))
    .filter(([name]) => !PASSWORD_FIELD.test(name))
    .map(([name, value]) => ({ name, value, long: value.length > 80 || value.includes("\n") }));
  reply.header("retry-after", "30");
  return reply.render(
    "errors/unsaved",
    { action: request.url, fields, hadPassword: Object.keys(submittedValues(request.body)).some((k) => PASSWORD_FIELD.test(k)) },
    { status: 503, title: "Not saved yet" },
  );
}

export function renderErrorPage(request: FastifyRequest, reply: FastifyReply, page: ErrorPage): FastifyReply {
  if (page.status === 503) reply.header("retry-after", "30");
  return reply.render(
    "errors/error",
    { status: page.status, heading: page.title, message: page.message, requestId: request.id },
    { status: page.status, title: page.title },
  );
}

export default fp(
  async function errors(app: FastifyInstance) {
    app.setNotFoundHandler((request, reply) =>
      renderErrorPage(request, reply, {
        status: 404,
        title: "Page not found",
        message: "We couldn't find that page. It may have moved, or it may not be public.",
      }),
    );
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const page = describe(error);
      if (page.status >= 500) request.log.error({ err: error }, "request failed");
      else request.log.info({ code: (error as FastifyError).code, status: page.status }, error.message);
      try {
        if (page.status === 503 && request.method === "POST" && request.body && typeof request.body === "object") {
          return renderUnsaved(request, reply);
        }
        return renderErrorPage(request, reply, page);
      } catch (renderError) {
        request.log.error({ err: renderError }, "error page failed to render");
        return reply.code(page.status).type("text/plain; charset=utf-8").send(`${page.title}. ${page.message}`);
      }
    });
  },
  { name: "errors", dependencies: ["views"] },
);
