// The demo's people and the reports they filed: all fictional. Read by the demo seed (../seed.ts).

export interface DemoUser {
  key: string;
  email: string;
  pseudonym: string;
  role: "PATIENT" | "PHYSICIAN" | "MODERATOR" | "ADMIN";
  daysAgo: number;
  physician?: {
    fullName: string;
    credentials: string;
    specialty: string;
    handle: string;
    license: string;
    jurisdiction: string;
    verified: boolean;
    verifiedDaysAgo?: number;
    /** Days from the check to "check again by" (a year unless set). */
    recheckAfterDays?: number;
    /** Verified once, then revoked by a moderator for this reason. */
    revoked?: string;
    bio?: string;
    disclosures?: string;
  };
}

export const USERS: DemoUser[] = [
  { key: "juniper", email: "patient@example.com", pseudonym: "Juniper", role: "PATIENT", daysAgo: 40 },
  {
    key: "nwosu",
    email: "physician@example.com",
    pseudonym: "amara.nwosu",
    role: "PHYSICIAN",
    daysAgo: 90,
    physician: {
      fullName: "Amara Nwosu",
      credentials: "MD",
      specialty: "Reproductive endocrinology and infertility",
      handle: "amara-nwosu",
      license: "RE-448120",
      jurisdiction: "Ontario, Canada (CPSO)",
      verified: true,
      verifiedDaysAgo: 19,
      bio: `I trained in obstetrics and gynaecology and then in reproductive endocrinology and infertility, and for twelve years I have run a clinic for couples with recurrent pregnancy loss. Most of my patients come after three or more losses, often after a healthy first child.

I answer here in my own time. An answer on Curbside is general information, not a consultation: I can't examine you or see your records.`,
      disclosures: `I am a partner in a private fertility clinic that offers immunological testing. I receive no payments from companies that make the drugs or tests I write about.`,
    },
  },
  { key: "mod", email: "moderator@example.com", pseudonym: "Moderator Ines", role: "MODERATOR", daysAgo: 120 },
  { key: "admin", email: "admin@example.com", pseudonym: "Admin Theo", role: "ADMIN", daysAgo: 150 },
  {
    key: "varga",
    email: "tomas.varga@example.org",
    pseudonym: "tvarga",
    role: "PHYSICIAN",
    daysAgo: 80,
    physician: {
      fullName: "Tomás Varga",
      credentials: "MD, PhD",
      specialty: "Reproductive immunology",
      handle: "tomas-varga",
      license: "HU-77310",
      jurisdiction: "Hungary (OKFŐ)",
      verified: true,
      verifiedDaysAgo: 60,
      // A short re-check interval, now past: the queue flags this verification to moderators.
      recheckAfterDays: 45,
      bio: "Consultant in reproductive immunology at a university hospital; I research immune factors in implantation failure.",
    },
  },
  {
    key: "okafor",
    email: "lena.okafor@example.org",
    pseudonym: "lenaok",
    role: "PHYSICIAN",
    daysAgo: 2,
    physician: {
      fullName: "Lena Okafor",
      credentials: "MBBS, MRCOG",
      specialty: "Obstetrics and gynaecology",
      handle: "lena-okafor",
      license: "GMC 7712345",
      jurisdiction: "United Kingdom (GMC)",
      verified: false,
    },
  },
  {
    key: "sanders",
    email: "pim.sanders@example.org",
    pseudonym: "psanders",
    role: "PHYSICIAN",
    daysAgo: 200,
    physician: {
      fullName: "Pim Sanders",
      credentials: "MD",
      specialty: "Obstetrics and gynaecology",
      handle: "pim-sanders",
      license: "BIG-19004412",
      jurisdiction: "Netherlands (BIG register)",
      verified: true,
      verifiedDaysAgo: 150,
      revoked: "The licence is no longer active in the BIG register (checked at re-verification).",
    },
  },
  { key: "marigold", email: "marigold@example.net", pseudonym: "Marigold", role: "PATIENT", daysAgo: 35 },
  { key: "hazel", email: "hazel@example.net", pseudonym: "Hazel", role: "PATIENT", daysAgo: 30 },
  { key: "clover", email: "clover@example.net", pseudonym: "Clover", role: "PATIENT", daysAgo: 28 },
  { key: "saffron", email: "saffron@example.net", pseudonym: "Saffron", role: "PATIENT", daysAgo: 25 },
  { key: "wren", email: "wren@example.net", pseudonym: "Wren", role: "PATIENT", daysAgo: 22 },
  { key: "sunrise", email: "hello@sunrise-wellness.example", pseudonym: "Sunrise Wellness", role: "PATIENT", daysAgo: 7 },
];

/** Reports on demo posts, by the start of the reported reply's text. */
export const FLAGS: { by: string; replyStartsWith: string; reason: "SPAM" | "MISINFORMATION"; note?: string }[] = [
  { by: "wren", replyStartsWith: "Our natural immune protocol", reason: "SPAM", note: "This is an advert for a clinic." },
  {
    by: "hazel",
    replyStartsWith: "Our natural immune protocol",
    reason: "MISINFORMATION",
    note: "Telling people to stop heparin is dangerous.",
  },
];
