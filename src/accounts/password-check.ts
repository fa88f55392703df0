// Confirming the account's password before a change, shared by the account service and the email change.
import { describeWait, type SignInThrottle } from "../auth/sign-in-throttle.ts";
import type { Database } from "../db/client.ts";
import { invalid, ok, type Result, tooSoon } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";

const WRONG_PASSWORD = "That password is not correct.";

export type PasswordCheck = (userId: string, password: string, ip: string, field: string) => Promise<Result<null>>;

/**
 * Counted in the sign-in throttle (same account and address keys): a stolen session cannot guess the password
 * here faster than at /login.
 */
export function createPasswordCheck(db: Database, passwords: PasswordHasher, throttle: SignInThrottle): PasswordCheck {
  return async (userId, password, ip, field) => {
    const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, passwordHash: true } });
    const attempt = { account: user.email, ip };
    const wait = await throttle.check(attempt);
    if (wait > 0) return tooSoon({ [field]: `Too many wrong passwords. Wait ${describeWait(wait)} and try again.` }, wait);
    if (!(await passwords.verify(user.passwordHash, password))) {
      await throttle.recordFailure(attempt);
      return invalid({ [field]: WRONG_PASSWORD }, 400);
    }
    await throttle.recordSuccess(attempt);
    return ok(null);
  };
}
