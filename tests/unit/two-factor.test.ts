// The TOTP pieces against RFC 6238 Appendix B (HMAC-SHA1, 30 s steps, T0 = 0), whose 8-digit codes end in the
// 6 digits we use; the ±1 step window; recovery codes; the signed half-finished sign-in.
import { describe, expect, it } from "vitest";
import { newRecoveryCodes, pendingLoginToken, readPendingLogin, recoveryCodeHash, totpCode, totpStep } from "../../src/auth/two-factor.ts";

// The RFC's key, the 20 ASCII bytes "12345678901234567890", in base32.
const RFC_KEY = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP (RFC 6238)", () => {
  it.each([
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ])("at %i s the code is the RFC's %s, last 6 digits", (seconds, code) => {
    expect(totpCode(RFC_KEY, seconds * 1000)).toBe(code.slice(2));
  });

  it("accepts the step before and after (a phone's clock a little off), and names the step", () => {
    const now = 1234567890 * 1000;
    const step = Math.floor(1234567890 / 30);
    expect(totpStep(RFC_KEY, totpCode(RFC_KEY, now), now)).toBe(step);
    expect(totpStep(RFC_KEY, totpCode(RFC_KEY, now - 30_000), now)).toBe(step - 1);
    expect(totpStep(RFC_KEY, totpCode(RFC_KEY, now + 30_000), now)).toBe(step + 1);
    expect(totpStep(RFC_KEY, totpCode(RFC_KEY, now - 90_000), now)).toBeNull();
    expect(totpStep(RFC_KEY, "12345", now)).toBeNull();
    expect(totpStep(RFC_KEY, "abcdef", now)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("are ten, distinct, and hashed with the secret (case and dash do not matter)", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const [c] = codes as [string];
    expect(recoveryCodeHash("s".repeat(32), c)).toBe(recoveryCodeHash("s".repeat(32), c.replace("-", "")));
    expect(recoveryCodeHash("s".repeat(32), c)).not.toBe(recoveryCodeHash("t".repeat(32), c));
  });
});

describe("the half-finished sign-in", () => {
  const secret = "k".repeat(32);
  it("names its person for 5 minutes, and nothing forged or altered", () => {
    const now = Date.now();
    const token = pendingLoginToken(secret, "user-1", now);
    expect(readPendingLogin(secret, token, now + 60_000)).toBe("user-1");
    expect(readPendingLogin(secret, token, now + 5 * 60_000 + 1)).toBeNull();
    expect(readPendingLogin("x".repeat(32), token, now)).toBeNull();
    expect(readPendingLogin(secret, token.replace("user-1", "user-2"), now)).toBeNull();
    expect(readPendingLogin(secret, undefined, now)).toBeNull();
    expect(readPendingLogin(secret, "a.b.c", now)).toBeNull();
  });
});
