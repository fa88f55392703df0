// Signing in: throttled per account and per IP, with a timing-equalising dummy hash for unknown emails. Whether
// the person also owes a two-factor code is part of the answer.
import type { Database } from "../db/client.ts";
import { invalid, ok, type Result, tooSoon } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";
import { describeWait, type SignInThrottle } from "./sign-in-throttle.ts";

export const LOGIN_FAILED = "That email and password don't match an account. Check them and try again.";

export interface AuthDeps {
  db: Database;
  passwords: PasswordHasher;
  throttle: SignInThrottle;
}

export function createAuthService({ db, passwords, throttle }: AuthDeps) {
  return {
    async logIn(email: string, password: string, ip: string): Promise<Result<{ userId: string; twoFactor: boolean }>> {
      const attempt = { account: email, ip };
      const wait = await throttle.check(attempt);
      if (wait > 0) return tooSoon({ _form: `Too many sign-in attempts. Wait ${describeWait(wait)} and try again.` }, wait);
      const user = await db.user.findUnique({
        where: { email },
        select: { id: true, passwordHash: true, deletedAt: true, totpEnabledAt: true },
      });
      let valid = false;
      if (user && !user.deletedAt) valid = await passwords.verify(user.passwordHash, password);
      else await passwords.verifyDummy(password);
      if (!valid || !user) {
        await throttle.recordFailure(attempt);
        return invalid({ _form: LOGIN_FAILED }, 401);
      }
      // With two-factor on, the lock is lifted only once the code is right too.
      if (!user.totpEnabledAt) await throttle.recordSuccess(attempt);
      return ok({ userId: user.id, twoFactor: user.totpEnabledAt !== null });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
