// Signing in: throttled per account and per IP, with a timing-equalising dummy hash for unknown emails. Whether
// the person also owes a two-factor code is part of the answer.
import type { Database } from "../db/client.ts";
import { invalid, ok, type Result } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";
import type { LoginThrottle } from "./login-throttle.ts";

export const LOGIN_FAILED = "That email and password don't match an account. Check them and try again.";

export interface AuthDeps {
  db: Database;
  passwords: PasswordHasher;
  throttle: LoginThrottle;
}

export function createAuthService({ db, passwords, throttle }: AuthDeps) {
  return {
    async logIn(email: string, password: string, ip: string): Promise<Result<{ userId: string; twoFactor: boolean }>> {
      const wait = throttle.blockedFor(email, ip);
      if (wait > 0) {
        return invalid({ _form: `Too many sign-in attempts. Wait ${wait} minute${wait === 1 ? "" : "s"} and try again.` }, 429);
      }
      const user = await db.user.findUnique({
        where: { email },
        select: { id: true, passwordHash: true, deletedAt: true, totpEnabledAt: true },
      });
      let valid = false;
      if (user && !user.deletedAt) valid = await passwords.verify(user.passwordHash, password);
      else await passwords.verifyDummy(password);
      if (!valid || !user) {
        throttle.recordFailure(email, ip);
        return invalid({ _form: LOGIN_FAILED }, 401);
      }
      // With two-factor on, the lock is lifted only once the code is right too.
      if (!user.totpEnabledAt) throttle.recordSuccess(email);
      return ok({ userId: user.id, twoFactor: user.totpEnabledAt !== null });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
