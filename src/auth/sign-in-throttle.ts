// Throttling of password (and other secret) guesses against an account, shared by every app instance through
// the counters in PostgreSQL. The rules (docs/security-limits.md):
// - per account and address: `perPair` failures in `windowMs` stop that address trying that account until
//   the window ends. Nobody else is affected: the right password from another address still signs in.
// - per address: `perIp` failures in `windowMs`, whatever the accounts, stop that address until the window ends.
// - per account, across addresses: once failures have come from `slowAfterAddresses` different addresses in
//   `windowMs`, every attempt on the account must wait a delay after the latest failure, doubling with each
//   further address, never above `maxDelayMs`. An account is slowed, never locked: nobody can keep its owner out
//   for longer than that delay.
// Callers check before they verify the secret (a refused attempt never reveals whether it was right), then
// record the outcome. Who "the account" is, is the caller's: sign-in and /account pass the account's email,
// lower-cased; a second factor or a password reset passes the same email so that one lock covers them all.
import type { CounterStore } from "../lib/throttle.ts";

export interface SignInLimits {
  perPair: number;
  perIp: number;
  windowMs: number;
  slowAfterAddresses: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perPair: 10,
  perIp: 50,
  windowMs: 15 * 60 * 1000,
  slowAfterAddresses: 3,
  firstDelayMs: 1000,
  maxDelayMs: 60 * 1000,
};

/** Who is trying: the account (its lower-cased email) and the client's address. */
export interface Attempt {
  account: string;
  ip: string;
}

export class SignInThrottle {
  readonly limits: SignInLimits;

  constructor(
    private readonly counters: CounterStore,
    limits: Partial<SignInLimits> = {},
  ) {
    this.limits = { ...DEFAULT_SIGN_IN_LIMITS, ...limits };
  }

  private keys({ account, ip }: Attempt) {
    const a = account.toLowerCase();
    return { pair: `signin:pair:${a}\n${ip}`, ip: `signin:ip:${ip}`, addresses: `signin:addresses:${a}`, account: `signin:account:${a}` };
  }

  /** The delay that `addresses` failing addresses impose on the account. */
  delayFor(addresses: number): number {
    const { slowAfterAddresses, firstDelayMs, maxDelayMs } = this.limits;
    if (addresses < slowAfterAddresses) return 0;
    return Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(30, addresses - slowAfterAddresses));
  }

  /** Milliseconds this attempt must wait before it may be tried, or 0 when it may go ahead now. */
  async check(attempt: Attempt): Promise<number> {
    const k = this.keys(attempt);
    const [pair, ip, addresses, account] = await this.counters.read([k.pair, k.ip, k.addresses, k.account]);
    const now = this.counters.now();
    let wait = 0;
    if (pair.count >= this.limits.perPair) wait = Math.max(wait, pair.resetAt - now);
    if (ip.count >= this.limits.perIp) wait = Math.max(wait, ip.resetAt - now);
    const delay = this.delayFor(addresses.count);
    if (delay > 0 && account.lastAt > 0) wait = Math.max(wait, account.lastAt + delay - now);
    return Math.max(0, wait);
  }

  /** Counts a wrong secret for this account from this address. */
  async recordFailure(attempt: Attempt): Promise<void> {
    const k = this.keys(attempt);
    const { windowMs } = this.limits;
    const [pair] = await Promise.all([
      this.counters.hit(k.pair, windowMs),
      this.counters.hit(k.ip, windowMs),
      this.counters.hit(k.account, windowMs),
    ]);
    // The first failure from this address (in its window) adds one to the account's count of failing addresses.
    if (pair.count === 1) await this.counters.hit(k.addresses, windowMs);
  }

  /** The right secret: this address's failures for this account are forgiven (the address's own count stays). */
  async recordSuccess(attempt: Attempt): Promise<void> {
    await this.counters.clear([this.keys(attempt).pair]);
  }
}

/** "Wait 2 minutes" or "Wait 40 seconds", for a page. */
export function describeWait(ms: number): string {
  if (ms > 90_000) {
    const minutes = Math.ceil(ms / 60_000);
    return `${minutes} minutes`;
  }
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}
