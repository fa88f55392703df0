// The pieces of two-factor sign-in: TOTP codes (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, via `otpauth`),
// single-use recovery codes, and the signed token that carries a half-finished sign-in (password given, code not
// yet) for a few minutes. That token is not a session: it grants nothing but the code page.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

export const TOTP_PERIOD_S = 30;
/** One step either side of now: a phone's clock a little off still works. */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** How long the code page waits after the password. */
export const PENDING_LOGIN_MS = 5 * 60 * 1000;
/** The cookie that carries a half-finished sign-in, sent only to the sign-in pages. */
export const PENDING_LOGIN_COOKIE = "curbside_pending_login";
export const pendingLoginCookieOptions = (secure: boolean) => ({
  path: "/login",
  httpOnly: true,
  sameSite: "lax" as const,
  secure,
  maxAge: PENDING_LOGIN_MS / 1000,
});

const totpFor = (base32: string, label = "account") =>
  new TOTP({ issuer: "Curbside", label, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_S, secret: Secret.fromBase32(base32) });

/** A new 160-bit key, base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The key grouped in fours, for typing it in by hand. */
export const groupedKey = (base32: string): string => base32.match(/.{1,4}/g)?.join(" ") ?? base32;

/**
 * The time step a code belongs to, or null when it matches none near `now`. Callers accept a step only once
 * (above the last one used), so a code cannot be replayed within its window.
 */
export function totpStep(base32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(base32).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD_S) + delta;
}

/** The current code, for tests and for nothing else. */
export const totpCode = (base32: string, now = Date.now()): string => totpFor(base32).generate({ timestamp: now });

/**
 * The QR code an authenticator app scans: SVG made here by `qrcode`, as a data: URI for an <img> (no markup of
 * ours or anyone's goes into the page; the label, with the pseudonym, is only inside the pixels).
 */
export async function totpQrDataUri(base32: string, label: string): Promise<string> {
  const svg = await QRCode.toString(totpFor(base32, label).toString(), { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten codes like "k7m2p-x9qr4": 50 random bits each. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(randomBytes(10), (b) => ALPHABET[b % ALPHABET.length]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Stored instead of the code: keyed with the app secret, so a leaked table cannot be searched offline. */
export const recoveryCodeHash = (secret: string, code: string): string =>
  createHmac("sha256", secret)
    .update(`recovery:${code.replace(/[^a-z0-9]/g, "")}`)
    .digest("hex");

const pendingSignature = (secret: string, userId: string, expires: number) =>
  createHmac("sha256", secret).update(`pending-login:${userId}:${expires}`).digest("base64url");

export function pendingLoginToken(secret: string, userId: string, now = Date.now()): string {
  const expires = now + PENDING_LOGIN_MS;
  return `${userId}.${expires}.${pendingSignature(secret, userId, expires)}`;
}

/** The person whose password was just given, or null when the token is forged or too old. */
export function readPendingLogin(secret: string, token: string | undefined, now = Date.now()): string | null {
  const [userId, expiresText, signature] = (token ?? "").split(".");
  const expires = Number(expiresText);
  if (!userId || !signature || !Number.isSafeInteger(expires) || expires <= now) return null;
  const expected = Buffer.from(pendingSignature(secret, userId, expires));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? userId : null;
}
