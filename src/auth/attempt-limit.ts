// Limits on mailed-link requests (password resets, sign-ups) per address and per IP, in fixed windows kept in
// memory per instance. Every caller goes through `allowAttempt`, the one place to switch to a shared
// (PostgreSQL-backed) limiter.
export interface AttemptLimit {
  max: number;
  windowMs: number;
}

export const RESET_PER_ADDRESS: AttemptLimit = { max: 3, windowMs: 60 * 60 * 1000 };
export const RESET_PER_IP: AttemptLimit = { max: 20, windowMs: 60 * 60 * 1000 };
export const SIGNUP_MAIL_PER_ADDRESS: AttemptLimit = { max: 3, windowMs: 60 * 60 * 1000 };
export const SIGNUP_PER_IP: AttemptLimit = { max: 20, windowMs: 60 * 60 * 1000 };

export class AttemptCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one attempt under `key`; false once `limit.max` attempts were made in the current window. */
  allowAttempt(key: string, limit: AttemptLimit): boolean {
    const now = this.now();
    const entry = this.windows.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.windows.size > 100_000) for (const [k, e] of this.windows) if (e.resetAt <= now) this.windows.delete(k);
      this.windows.set(key, { count: 1, resetAt: now + limit.windowMs });
      return true;
    }
    entry.count++;
    return entry.count <= limit.max;
  }
}
