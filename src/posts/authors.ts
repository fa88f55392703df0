// Who wrote a post, as every feature reads and shows it: the columns to select and the public view of them.
export const authorSelect = {
  select: {
    id: true,
    pseudonym: true,
    deletedAt: true,
    physicianProfile: {
      select: { handle: true, fullName: true, credentials: true, specialty: true, status: true, verifiedAt: true },
    },
  },
} as const;

export interface AuthorRow {
  id: string;
  pseudonym: string;
  deletedAt: Date | null;
  physicianProfile: {
    handle: string;
    fullName: string;
    credentials: string;
    specialty: string;
    status: string;
    verifiedAt: Date | null;
  } | null;
}

export interface AuthorView {
  name: string;
  isFormerMember: boolean;
  /** Present only while the physician's verification stands. */
  badge: { handle: string; credentials: string; specialty: string; verifiedAt: Date } | null;
}

export const FORMER_MEMBER = "Former member";

export function authorView(author: AuthorRow): AuthorView {
  if (author.deletedAt) return { name: FORMER_MEMBER, isFormerMember: true, badge: null };
  const p = author.physicianProfile;
  if (p && p.status === "VERIFIED" && p.verifiedAt) {
    return {
      name: `Dr. ${p.fullName}`,
      isFormerMember: false,
      badge: { handle: p.handle, credentials: p.credentials, specialty: p.specialty, verifiedAt: p.verifiedAt },
    };
  }
  return { name: author.pseudonym, isFormerMember: false, badge: null };
}
