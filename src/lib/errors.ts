// Expected failures as values with three audiences: a stable code for callers, a kind message for people,
// and (through `cause`) the original for the log.
export type ErrorCode = "NOT_FOUND" | "FORBIDDEN" | "UNAUTHENTICATED" | "CONFLICT" | "INVALID" | "RATE_LIMITED" | "URI_TOO_LONG";

const STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  INVALID: 400,
  RATE_LIMITED: 429,
  URI_TOO_LONG: 414,
};

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    readonly publicMessage: string,
    options?: { cause?: unknown },
  ) {
    super(publicMessage, options);
    this.name = "AppError";
    this.statusCode = STATUS[code];
  }
}

export const notFound = (what = "page") => new AppError("NOT_FOUND", `We couldn't find that ${what}.`);
export const forbidden = (message = "You don't have permission to do that.") => new AppError("FORBIDDEN", message);

/** Field errors for a form, keyed by field name. */
export type FieldErrors = Record<string, string>;

/** A failure may say how long to wait before trying again (sent as Retry-After with a 429). */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; status?: number; retryAfterMs?: number };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const invalid = <T = never>(errors: FieldErrors, status = 400): Result<T> => ({ ok: false, errors, status });
/** The Retry-After header's value for a wait, in whole seconds. */
export const retryAfterSeconds = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));
export const tooSoon = <T = never>(errors: FieldErrors, retryAfterMs: number): Result<T> => ({
  ok: false,
  errors,
  status: 429,
  retryAfterMs,
});
