// Counts failed sign-ins per account and per IP address in fixed windows. In memory: each app instance keeps
// its own counts, which bounds guessing per instance; the limits are in the README.
export interface ThrottleLimits {
  perAccount: number;
  perIp: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = { perAccount: 10, perIp: 50, windowMs: 15 * 60 * 1000 };

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private count(key: string): number {
    const entry = this.failures.get(key);
    if (!entry || entry.resetAt <= this.now()) return 0;
    return entry.count;
  }

  /** Minutes until another try is allowed, or 0 when allowed now. */
  blockedFor(email: string, ip: string): number {
    const keys: [string, number][] = [
      [`a:${email}`, this.limits.perAccount],
      [`i:${ip}`, this.limits.perIp],
    ];
    let waitMs = 0;
    for (const [key, limit] of keys) {
      if (this.count(key) >= limit) waitMs = Math.max(waitMs, (this.failures.get(key)?.resetAt ?? 0) - this.now());
    }
    return waitMs > 0 ? Math.ceil(waitMs / 60_000) : 0;
  }

  recordFailure(email: string, ip: string): void {
    for (const key of [`a:${email}`, `i:${ip}`]) {
      const entry = this.failures.get(key);
      if (!entry || entry.resetAt <= this.now()) this.failures.set(key, { count: 1, resetAt: this.now() + this.limits.windowMs });
      else entry.count++;
    }
    if (this.failures.size > 100_000) this.prune();
  }

  recordSuccess(email: string): void {
    this.failures.delete(`a:${email}`);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(key);
  }
}
