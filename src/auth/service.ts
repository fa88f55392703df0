// Accounts: sign-up (with a physician's verification application), sign-in with throttling and a
// timing-equalising dummy hash for unknown emails.
import { randomUUID } from "node:crypto";
import type { Database } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { type FieldErrors, invalid, ok, type Result, tooSoon } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";
import { pseudonymKey, slugify } from "../lib/slug.ts";
import type { SignUpInput } from "./schemas.ts";
import { describeWait, type SignInThrottle } from "./sign-in-throttle.ts";

export const LOGIN_FAILED = "That email and password don't match an account. Check them and try again.";

export interface AuthDeps {
  db: Database;
  passwords: PasswordHasher;
  throttle: SignInThrottle;
}

async function uniqueHandle(tx: Prisma.TransactionClient, fullName: string): Promise<string> {
  const base = slugify(fullName, 40);
  const taken = new Set(
    (await tx.physicianProfile.findMany({ where: { handle: { startsWith: base } }, select: { handle: true } })).map((p) => p.handle),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function createAuthService({ db, passwords, throttle }: AuthDeps) {
  async function duplicates(email: string, key: string): Promise<FieldErrors> {
    const existing = await db.user.findMany({
      where: { OR: [{ email }, { pseudonymKey: key }] },
      select: { email: true, pseudonymKey: true },
    });
    const errors: FieldErrors = {};
    // Saying an email is taken tells a visitor that it has an account; the alternative (a confirmation mail
    // to every sign-up) needs mail to be set up. The README documents this trade-off.
    if (existing.some((u) => u.email === email)) errors.email = "An account with this email already exists. Sign in instead.";
    if (existing.some((u) => u.pseudonymKey === key)) errors.pseudonym = "That pseudonym is taken. Choose another.";
    return errors;
  }

  return {
    async signUp(input: SignUpInput): Promise<Result<{ userId: string }>> {
      const key = pseudonymKey(input.pseudonym);
      const taken = await duplicates(input.email, key);
      if (Object.keys(taken).length > 0) return invalid(taken, 409);
      const passwordHash = await passwords.hash(input.password);
      const userId = randomUUID();
      try {
        await db.$transaction(async (tx) => {
          await tx.user.create({
            data: {
              id: userId,
              email: input.email,
              passwordHash,
              pseudonym: input.pseudonym,
              pseudonymKey: key,
              role: input.isPhysician ? "PHYSICIAN" : "PATIENT",
            },
          });
          if (input.isPhysician) {
            await tx.physicianProfile.create({
              data: {
                userId,
                handle: await uniqueHandle(tx, input.fullName ?? ""),
                fullName: (input.fullName ?? "").trim(),
                credentials: (input.credentials ?? "").trim(),
                specialty: input.specialty ?? "",
                licenseNumber: (input.licenseNumber ?? "").trim(),
                jurisdiction: (input.jurisdiction ?? "").trim(),
              },
            });
          }
        });
      } catch (error) {
        // Two sign-ups racing for the same email or pseudonym: the database's unique index decides.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          const again = await duplicates(input.email, key);
          return invalid(Object.keys(again).length > 0 ? again : { _form: "That account already exists." }, 409);
        }
        throw error;
      }
      return ok({ userId });
    },

    async logIn(email: string, password: string, ip: string): Promise<Result<{ userId: string }>> {
      const attempt = { account: email, ip };
      const wait = await throttle.check(attempt);
      if (wait > 0) return tooSoon({ _form: `Too many sign-in attempts. Wait ${describeWait(wait)} and try again.` }, wait);
      const user = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, deletedAt: true } });
      let valid = false;
      if (user && !user.deletedAt) valid = await passwords.verify(user.passwordHash, password);
      else await passwords.verifyDummy(password);
      if (!valid || !user) {
        await throttle.recordFailure(attempt);
        return invalid({ _form: LOGIN_FAILED }, 401);
      }
      await throttle.recordSuccess(attempt);
      return ok({ userId: user.id });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
