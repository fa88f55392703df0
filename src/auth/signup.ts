// Sign-up that reveals nothing: every sign-up gets the same answer. A new address is sent a link, and the account
// is made only when it is opened (so the address is confirmed, and an address nobody confirmed never becomes an
// account); a registered address is told that someone tried to sign up with it.
import { randomUUID } from "node:crypto";
import type { Database } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { invalid, ok, type Result } from "../lib/errors.ts";
import type { PasswordHasher } from "../lib/passwords.ts";
import { safeRedirectPath } from "../lib/redirect.ts";
import { pseudonymKey, slugify } from "../lib/slug.ts";
import { queueMail } from "../mail/outbox.ts";
import { linkPlaceholder, linkTokenHash, tokenHash } from "../mail/tokens.ts";
import { checkPseudonym } from "../safety/pseudonym-check.ts";
import { type AttemptCounter, SIGNUP_MAIL_PER_ADDRESS, SIGNUP_PER_IP } from "./attempt-limit.ts";
import { type HeldDraft, heldDraftSchema, PRIVACY_NOTICE_VERSION, type SignUpInput } from "./schemas.ts";

/** How long a sign-up's confirmation link works. */
export const SIGNUP_LINK_MS = 24 * 60 * 60 * 1000;

export const PSEUDONYM_TAKEN = "That pseudonym is taken. Choose another.";
export const TOO_MANY_SIGNUPS = "Too many sign-ups from this network. Wait an hour and try again.";

export interface SignUpDeps {
  db: Database;
  passwords: PasswordHasher;
  attempts: AttemptCounter;
  secret: string;
  publicUrl: string;
}

interface Application {
  fullName: string;
  credentials: string;
  specialty: string;
  licenseNumber: string;
  jurisdiction: string;
}

/** The held question from the sign-up form's draft fields, or null when there is none (or it was tampered with). */
export function heldDraftOf(input: Pick<SignUpInput, "draftTitle" | "draftBody" | "draftCategoryId" | "draftTo">): HeldDraft | null {
  if (!input.draftTitle && !input.draftBody) return null;
  const parsed = heldDraftSchema.safeParse({
    title: input.draftTitle,
    body: input.draftBody,
    categoryId: input.draftCategoryId,
    to: input.draftTo || null,
  });
  return parsed.success ? parsed.data : null;
}

async function uniqueHandle(tx: Prisma.TransactionClient, fullName: string): Promise<string> {
  const base = slugify(fullName, 40);
  const taken = new Set(
    (await tx.physicianProfile.findMany({ where: { handle: { startsWith: base } }, select: { handle: true } })).map((p) => p.handle),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The pseudonym itself, or with a number added when someone confirmed it first. */
async function freePseudonym(tx: Prisma.TransactionClient, wanted: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? wanted : `${wanted.slice(0, 36)} ${n}`;
    if (!(await tx.user.findUnique({ where: { pseudonymKey: pseudonymKey(name) }, select: { id: true } }))) return name;
  }
}

export function createSignUpService({ db, passwords, attempts, secret, publicUrl }: SignUpDeps) {
  return {
    /**
     * Step one: the same answer for a new and a registered address, with the same work done (a password hashed,
     * one mail queued), so neither the page nor its timing says which it was.
     */
    async start(input: SignUpInput, ip: string): Promise<Result<null>> {
      // Pseudonyms are public, so saying one is taken reveals nothing about any address.
      const key = pseudonymKey(input.pseudonym);
      if (await db.user.findUnique({ where: { pseudonymKey: key }, select: { id: true } })) {
        return invalid({ pseudonym: PSEUDONYM_TAKEN }, 409);
      }
      const pseudonymError = await checkPseudonym(db, input.pseudonym, input.keepPseudonym);
      if (pseudonymError) return invalid({ pseudonym: pseudonymError }, 400);
      if (!(await attempts.allowAttempt(`signup-ip:${ip}`, SIGNUP_PER_IP))) return invalid({ _form: TOO_MANY_SIGNUPS }, 429);
      const passwordHash = await passwords.hash(input.password);
      const registered = await db.user.findUnique({ where: { email: input.email }, select: { id: true, deletedAt: true } });
      // A few mails an hour to one address at most; past that the same page, and no mail.
      const mayMail = await attempts.allowAttempt(`signup-mail:${input.email}`, SIGNUP_MAIL_PER_ADDRESS);
      if (registered && !registered.deletedAt) {
        if (mayMail) {
          await queueMail(db, {
            to: input.email,
            userId: registered.id,
            kind: "SIGNUP_ATTEMPT",
            subject: "Someone tried to join Curbside with your address",
            text: [
              "Someone (perhaps you) tried to create a Curbside account with this email address, which already has one.",
              "No new account was made and nothing about yours changed.",
              "",
              `If it was you, sign in instead. Forgot your password? Reset it here: ${publicUrl}/login/forgot`,
              "If it wasn't you, you can ignore this mail. Sign in:",
            ].join("\n"),
            path: "/login",
          });
        }
        return ok(null);
      }
      if (!mayMail) return ok(null);
      const id = randomUUID();
      const draft = heldDraftOf(input);
      const application: Application | null = input.isPhysician
        ? {
            fullName: (input.fullName ?? "").trim(),
            credentials: (input.credentials ?? "").trim(),
            specialty: input.specialty ?? "",
            licenseNumber: (input.licenseNumber ?? "").trim(),
            jurisdiction: (input.jurisdiction ?? "").trim(),
          }
        : null;
      await db.$transaction(async (tx) => {
        await tx.pendingSignup.create({
          data: {
            id,
            tokenHash: linkTokenHash(secret, id),
            email: input.email,
            passwordHash,
            pseudonym: input.pseudonym,
            isPhysician: input.isPhysician,
            application: application ? { ...application } : Prisma.DbNull,
            consentAt: new Date(),
            consentVersion: PRIVACY_NOTICE_VERSION,
            draft: draft ?? Prisma.DbNull,
            next: input.next ? safeRedirectPath(input.next) : input.isPhysician ? "/account" : null,
            expiresAt: new Date(Date.now() + SIGNUP_LINK_MS),
          },
        });
        await queueMail(tx, {
          to: input.email,
          kind: "CONFIRM_ADDRESS",
          subject: "Confirm your email to finish joining Curbside",
          text: [
            "Open this link to confirm your address and finish joining Curbside. It works once, for 24 hours.",
            draft ? "The question you were writing is kept, and goes to the moderators once you confirm." : "",
            "If you didn't try to join, ignore this mail: no account is made.",
          ]
            .filter(Boolean)
            .join("\n"),
          path: `/signup/confirm?token=${linkPlaceholder(id)}`,
        });
      });
      return ok(null);
    },

    /** Whether a confirmation link is still good, for the page that asks the person to finish. */
    async isPending(token: string): Promise<boolean> {
      const row = await db.pendingSignup.findUnique({ where: { tokenHash: tokenHash(token) }, select: { expiresAt: true } });
      return !!row && row.expiresAt > new Date();
    },

    /**
     * Step two, from the mailed link: the account is made, confirmed, with the consent given at sign-up. The link
     * works once: its row is deleted in the same transaction (guarded, so two clicks make one account).
     */
    async confirm(token: string): Promise<Result<{ userId: string; draft: HeldDraft | null; next: string | null }>> {
      const expired = invalid({ _form: "This link has expired or was already used. Sign in, or join again for a new link." }, 410);
      const row = await db.pendingSignup.findUnique({ where: { tokenHash: tokenHash(token) } });
      if (!row || row.expiresAt <= new Date()) return expired;
      const userId = randomUUID();
      const outcome = await db.$transaction(async (tx) => {
        const { count } = await tx.pendingSignup.deleteMany({ where: { id: row.id, expiresAt: { gt: new Date() } } });
        if (count !== 1) return "used" as const;
        // Someone confirmed this address first (another sign-up, or an email change): that account stands.
        if (await tx.user.findUnique({ where: { email: row.email }, select: { id: true } })) return "registered" as const;
        await tx.pendingSignup.deleteMany({ where: { email: row.email } });
        const pseudonym = await freePseudonym(tx, row.pseudonym);
        const now = new Date();
        await tx.user.create({
          data: {
            id: userId,
            email: row.email,
            passwordHash: row.passwordHash,
            pseudonym,
            pseudonymKey: pseudonymKey(pseudonym),
            role: row.isPhysician ? "PHYSICIAN" : "PATIENT",
            emailConfirmedAt: now,
            consentAt: row.consentAt,
            consentVersion: row.consentVersion,
          },
        });
        const application = row.application as Application | null;
        if (row.isPhysician && application) {
          await tx.physicianProfile.create({
            data: { userId, handle: await uniqueHandle(tx, application.fullName), ...application },
          });
        }
        return "made" as const;
      });
      if (outcome === "used") return expired;
      if (outcome === "registered") return invalid({ _form: "This address already has an account. Sign in instead." }, 409);
      const draft = heldDraftSchema.safeParse(row.draft);
      return ok({ userId, draft: draft.success ? draft.data : null, next: row.next });
    },
  };
}

export type SignUpService = ReturnType<typeof createSignUpService>;
