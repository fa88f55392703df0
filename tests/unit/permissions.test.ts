import { describe, expect, it } from "vitest";
import { can, canSeeUnpublished } from "../../src/auth/permissions.ts";
import type { SignedInUser } from "../../src/auth/viewer.ts";
import { describeWait } from "../../src/threads/service.ts";

const base = { id: "u1", pseudonym: "x", physician: null } as const;
const patient: SignedInUser = { ...base, role: "PATIENT" };
const applicant: SignedInUser = {
  ...base,
  role: "PHYSICIAN",
  physician: { handle: "h", fullName: "F", credentials: "MD", specialty: "S", status: "PENDING", verifiedAt: null },
};
const physician: SignedInUser = {
  ...applicant,
  physician: { ...(applicant.physician as NonNullable<SignedInUser["physician"]>), status: "VERIFIED", verifiedAt: new Date() },
};
const revoked: SignedInUser = {
  ...applicant,
  physician: { ...(applicant.physician as NonNullable<SignedInUser["physician"]>), status: "REVOKED" },
};
const moderator: SignedInUser = { ...base, role: "MODERATOR" };
const admin: SignedInUser = { ...base, role: "ADMIN" };

describe("can", () => {
  it.each([
    ["ask", [false, true, true, true, true, true, true]],
    ["publishWithoutReview", [false, false, false, true, false, true, true]],
    ["moderate", [false, false, false, false, false, true, true]],
    ["reviewApplications", [false, false, false, false, false, true, true]],
  ] as const)("%s", (action, expected) => {
    expect([null, patient, applicant, physician, revoked, moderator, admin].map((v) => can(v, action))).toEqual(expected);
  });

  it("lets authors and staff see unpublished posts", () => {
    expect(canSeeUnpublished(null, "u1")).toBe(false);
    expect(canSeeUnpublished(patient, "u1")).toBe(true);
    expect(canSeeUnpublished(patient, "u2")).toBe(false);
    expect(canSeeUnpublished({ ...moderator, id: "m" }, "u2")).toBe(true);
  });
});

describe("describeWait", () => {
  it.each([
    [null, null],
    [600, "under an hour"],
    [3 * 3600, "about 3 hours"],
    [3600 * 1.2, "about 1 hour"],
    [3 * 86_400, "about 3 days"],
  ])("%s seconds → %s", (seconds, text) => {
    expect(describeWait(seconds)).toBe(text);
  });
});
