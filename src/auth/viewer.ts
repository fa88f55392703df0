// Who is making a request, as every service sees it. `null` is a signed-out reader.
import type { Role, VerificationStatus } from "../generated/prisma/enums.ts";

export interface PhysicianBadge {
  handle: string;
  fullName: string;
  credentials: string;
  specialty: string;
  status: VerificationStatus;
  verifiedAt: Date | null;
}

export interface Restriction {
  suspendedUntil: Date | null;
  silencedUntil: Date | null;
  message: string | null;
}

export interface SignedInUser {
  id: string;
  role: Role;
  pseudonym: string;
  physician: PhysicianBadge | null;
  /** Questions waiting in a verified physician's inbox, for the header. */
  inboxCount?: number;
  /** Notifications not yet read, for the header. */
  unreadNotifications?: number;
  /** A moderator's suspension or silence, if any (possibly lapsed). */
  restriction?: Restriction | null;
  /** False for an account whose address is not confirmed yet (undefined counts as confirmed). */
  emailConfirmed?: boolean;
  /** Whether sign-in asks this person for a second factor. */
  twoFactor?: boolean;
}

export type Viewer = SignedInUser | null;

export const isStaff = (viewer: Viewer): boolean => viewer?.role === "MODERATOR" || viewer?.role === "ADMIN";
export const isVerifiedPhysician = (viewer: Viewer): boolean => viewer?.physician?.status === "VERIFIED";

/** The name a person's posts are signed with: a verified physician's "Dr. Full Name", anyone else's pseudonym. */
export const signedName = (viewer: SignedInUser): string =>
  viewer.physician?.status === "VERIFIED" ? `Dr. ${viewer.physician.fullName}` : viewer.pseudonym;

const ROLE_LABELS: Record<Role, string> = { PATIENT: "Member", PHYSICIAN: "Physician", MODERATOR: "Moderator", ADMIN: "Admin" };

/** Who the header says a person is signed in as: "Verified physician", "Moderator"… */
export const roleLabel = (viewer: SignedInUser): string =>
  viewer.role === "PHYSICIAN" && isVerifiedPhysician(viewer) ? "Verified physician" : ROLE_LABELS[viewer.role];
