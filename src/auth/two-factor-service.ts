// Two-factor sign-in, with the acting person: setting it up (a key confirmed by a first code, then ten recovery
// codes shown once), turning it off, and checking the code that finishes a sign-in.
import type { Database } from "../db/client.ts";
import { AppError, invalid, ok, type Result, tooSoon } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";
import { describeWait, type SignInThrottle } from "./sign-in-throttle.ts";
import { groupedKey, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpQrDataUri, totpStep } from "./two-factor.ts";
import type { Viewer } from "./viewer.ts";

export const WRONG_CODE = "That code is not right, or was already used. Enter the newest code from your app, or a recovery code.";

function signedIn(viewer: Viewer) {
  if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in to manage two-factor sign-in.");
  return viewer;
}

export function createTwoFactorService(deps: { db: Database; passwords: PasswordHasher; throttle: SignInThrottle; secret: string }) {
  const { db, passwords, throttle, secret } = deps;

  /** Accepts a TOTP code once (its step must be newer than the last used) or an unused recovery code once. */
  async function useCode(userId: string, code: string, now = Date.now()): Promise<boolean> {
    const user = await db.user.findUnique({ where: { id: userId }, select: { totpSecret: true, totpLastStep: true } });
    if (!user?.totpSecret) return false;
    const step = totpStep(user.totpSecret, code, now);
    if (step !== null) {
      // Guarded in the WHERE: two requests with the same code, one wins.
      const { count } = await db.user.updateMany({
        where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
        data: { totpLastStep: step },
      });
      return count === 1;
    }
    if (/^\d+$/.test(code)) return false;
    const { count } = await db.recoveryCode.updateMany({
      where: { userId, codeHash: recoveryCodeHash(secret, code), usedAt: null },
      data: { usedAt: new Date(now) },
    });
    return count === 1;
  }

  return {
    useCode,

    async status(viewer: Viewer) {
      const me = signedIn(viewer);
      const user = await db.user.findUniqueOrThrow({
        where: { id: me.id },
        select: {
          totpEnabledAt: true,
          totpPendingSecret: true,
          pseudonym: true,
          _count: { select: { recoveryCodes: { where: { usedAt: null } } } },
        },
      });
      return { enabled: user.totpEnabledAt !== null, enabledAt: user.totpEnabledAt, recoveryCodesLeft: user._count.recoveryCodes };
    },

    /** The key being set up (made on first visit, kept until confirmed), as a QR code and written out. */
    async setup(viewer: Viewer, makeKey = true) {
      const me = signedIn(viewer);
      const user = await db.user.findUniqueOrThrow({ where: { id: me.id }, select: { totpPendingSecret: true, totpEnabledAt: true } });
      if (user.totpEnabledAt) return null;
      let key = user.totpPendingSecret;
      if (!key && !makeKey) return null;
      if (!key) {
        key = newTotpSecret();
        await db.user.updateMany({ where: { id: me.id, totpPendingSecret: null }, data: { totpPendingSecret: key } });
        key = (await db.user.findUniqueOrThrow({ where: { id: me.id }, select: { totpPendingSecret: true } })).totpPendingSecret ?? key;
      }
      return { key: groupedKey(key), qrDataUri: await totpQrDataUri(key, me.pseudonym) };
    },

    /** The first code proves the app has the key: two-factor is on, and ten recovery codes are made (returned once). */
    async confirmSetup(viewer: Viewer, code: string): Promise<Result<{ recoveryCodes: string[] }>> {
      const me = signedIn(viewer);
      const user = await db.user.findUniqueOrThrow({ where: { id: me.id }, select: { totpPendingSecret: true, totpEnabledAt: true } });
      if (user.totpEnabledAt) return invalid({ _form: "Two-factor sign-in is already on." }, 409);
      const step = user.totpPendingSecret ? totpStep(user.totpPendingSecret, code) : null;
      if (step === null || !user.totpPendingSecret)
        return invalid({ code: "That code doesn't match. Check your app shows Curbside and try the newest code." });
      const codes = newRecoveryCodes();
      const done = await db.$transaction(async (tx) => {
        const { count } = await tx.user.updateMany({
          where: { id: me.id, totpEnabledAt: null, totpPendingSecret: user.totpPendingSecret },
          data: { totpSecret: user.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: new Date(), totpLastStep: step },
        });
        if (count !== 1) return false;
        await tx.recoveryCode.deleteMany({ where: { userId: me.id } });
        await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId: me.id, codeHash: recoveryCodeHash(secret, c) })) });
        return true;
      });
      if (!done) return invalid({ _form: "Two-factor sign-in is already on." }, 409);
      return ok({ recoveryCodes: codes });
    },

    /** Turning it off needs the password now (a sensitive action). */
    async disable(viewer: Viewer, password: string): Promise<Result<null>> {
      const me = signedIn(viewer);
      const user = await db.user.findUniqueOrThrow({ where: { id: me.id }, select: { passwordHash: true } });
      if (!(await passwords.verify(user.passwordHash, password))) return invalid({ password: "That password is not correct." });
      await db.$transaction([
        db.user.update({
          where: { id: me.id },
          data: { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null },
        }),
        db.recoveryCode.deleteMany({ where: { userId: me.id } }),
      ]);
      return ok(null);
    },

    /** The code that finishes a sign-in. A wrong one counts against the same lock as a wrong password. */
    async finishSignIn(userId: string, code: string, ip: string): Promise<Result<null>> {
      const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, deletedAt: true } });
      if (!user || user.deletedAt) return invalid({ _form: "Sign in again." }, 401);
      // The same key as the password: a wrong code and a wrong password count against one lock.
      const attempt = { account: user.email, ip };
      const wait = await throttle.check(attempt);
      if (wait > 0) return tooSoon({ _form: `Too many sign-in attempts. Wait ${describeWait(wait)} and try again.` }, wait);
      if (!(await useCode(userId, code))) {
        await throttle.recordFailure(attempt);
        return invalid({ code: WRONG_CODE }, 401);
      }
      await throttle.recordSuccess(attempt);
      return ok(null);
    },
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
