// Limits on mailed-link requests (password resets, sign-ups, email changes) per address and per IP, in fixed
// windows counted in PostgreSQL (src/lib/throttle.ts), so every app instance enforces one limit.
import type { CounterStore } from "../lib/throttle.ts";

export interface AttemptLimit {
  max: number;
  windowMs: number;
}

export const RESET_PER_ADDRESS: AttemptLimit = { max: 3, windowMs: 60 * 60 * 1000 };
export const RESET_PER_IP: AttemptLimit = { max: 20, windowMs: 60 * 60 * 1000 };
export const SIGNUP_MAIL_PER_ADDRESS: AttemptLimit = { max: 3, windowMs: 60 * 60 * 1000 };
export const SIGNUP_PER_IP: AttemptLimit = { max: 20, windowMs: 60 * 60 * 1000 };

export class AttemptCounter {
  constructor(private readonly counters: CounterStore) {}

  /** Counts one attempt under `key`; false once `limit.max` attempts were made in the current window. */
  async allowAttempt(key: string, limit: AttemptLimit): Promise<boolean> {
    const { count } = await this.counters.hit(`attempt:${key}`, limit.windowMs);
    return count <= limit.max;
  }
}
