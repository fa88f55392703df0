// Seeds: the categories every installation needs (seedBase), and demo content with demo accounts for trying
// Curbside out (seedDemo, never in production). All people in the demo are fictional; the medical topics are
// written in our own words.

import { randomUUID } from "node:crypto";
import { PRIVACY_NOTICE_VERSION } from "../auth/schemas.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { ModerationStatus } from "../generated/prisma/enums.ts";
import { createPasswordHasher } from "../lib/passwords.ts";
import { pseudonymKey } from "../lib/slug.ts";
import { parseReferences, storedReferences } from "../references/references.ts";
import { proposeEdit } from "../revisions/service.ts";
import { recountThreads, replyPath } from "../threads/service.ts";
import { threadUrl } from "../threads/view-models.ts";
import type { Database } from "./client.ts";

export const CATEGORIES = [
  {
    slug: "recurrent-pregnancy-loss",
    name: "Recurrent pregnancy loss",
    description: "Two or more losses: causes, tests, and what helps next time.",
  },
  {
    slug: "ivf-implantation-failure",
    name: "IVF & implantation failure",
    description: "Transfers that don't implant, add-on treatments, and planning the next cycle.",
  },
  {
    slug: "reproductive-immunology",
    name: "Reproductive immunology",
    description: "NK cells, HLA sharing, Th1/Th2 balance, and the tests behind them.",
  },
  {
    slug: "autoimmune-conditions-in-pregnancy",
    name: "Autoimmune conditions in pregnancy",
    description: "Antiphospholipid syndrome, lupus, thyroid antibodies and pregnancy.",
  },
  { slug: "support", name: "Support", description: "Grief, waiting, and getting through it together. You are not alone." },
];

export const DEMO_PASSWORD = "curbside-demo";

export async function seedBase(db: Database): Promise<void> {
  for (const [position, c] of CATEGORIES.entries()) {
    await db.category.upsert({ where: { slug: c.slug }, update: {}, create: { ...c, position } });
  }
}

interface DemoUser {
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

const USERS: DemoUser[] = [
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
const FLAGS: { by: string; replyStartsWith: string; reason: "SPAM" | "MISINFORMATION"; note?: string }[] = [
  { by: "wren", replyStartsWith: "Our natural immune protocol", reason: "SPAM", note: "This is an advert for a clinic." },
  {
    by: "hazel",
    replyStartsWith: "Our natural immune protocol",
    reason: "MISINFORMATION",
    note: "Telling people to stop heparin is dangerous.",
  },
];

interface DemoReply {
  by: string;
  body: string;
  /** DOIs and PubMed IDs, typed as a physician would (parsed like the form's). */
  references?: string;
  /** Demo users who found this answer helpful, and verified physicians who agree with it. */
  helpfulBy?: string[];
  agreeBy?: string[];
  /** The person who asked marked it "answered my question". */
  accepted?: boolean;
  hoursAfter: number;
  status?: ModerationStatus;
  reason?: string;
  note?: string;
  replies?: DemoReply[];
}

interface DemoThread {
  kind: "QUESTION" | "ARTICLE";
  by: string;
  category: string;
  title: string;
  body: string;
  daysAgo: number;
  status?: ModerationStatus;
  reason?: string;
  note?: string;
  tags?: string[];
  references?: string;
  replies?: DemoReply[];
}

const ESHRE_RPL =
  "doi:10.1093/hropen/hoad002 ESHRE Guideline Group on RPL. ESHRE guideline: recurrent pregnancy loss: an update in 2022. Hum Reprod Open. 2023;2023(1):hoad002.";
const ESHRE_RPL_PMID =
  "PMID: 36873081 ESHRE Guideline Group on RPL. ESHRE guideline: recurrent pregnancy loss: an update in 2022. Hum Reprod Open. 2023.";
const LENSEN_2019 =
  "PMID: 30673547 Lensen S, et al. A randomized trial of endometrial scratching before in vitro fertilization. N Engl J Med. 2019;380(4):325-334. doi:10.1056/NEJMoa1808737";

const THREADS: DemoThread[] = [
  {
    kind: "ARTICLE",
    by: "nwosu",
    category: "reproductive-immunology",
    title: "Shared HLA types: why a second pregnancy can fail when the first one didn't",
    daysAgo: 18,
    tags: ["hla", "nk cells", "recurrent pregnancy loss"],
    references: ESHRE_RPL,
    body: `Many couples I see had a healthy first pregnancy and then, to their confusion, a run of losses. One pattern worth knowing about involves **HLA sharing**: when partners carry matching DQ-alpha (HLA class II) types, the embryo looks more "familiar" to the mother's immune system than usual.

In most pregnancies a small difference between the parents' HLA types helps the mother's body recognise the pregnancy and build a protective response around it. When the types are shared, that protective response can be weaker. The mother's uterine natural-killer (NK) cells then tend to become more activated with each new exposure to an embryo.

That is why the first pregnancy may go well while later ones fail: it often takes several exposures before the NK cells are active enough to harm the developing placenta (the trophoblast).

What this means in practice:

- HLA typing of both partners can be useful after repeated losses, particularly after an earlier successful pregnancy.
- A normal NK-cell *count* does not settle the question. What matters is how *active* the cells are.
- Treatment decisions should be individual and discussed openly, including where the evidence is still limited.

If this sounds like your story, you can ask me a question below. Please don't include your name, date of birth or clinic: a pseudonym and your history are enough.`,
    replies: [
      {
        by: "marigold",
        hoursAfter: 30,
        body: `Thank you for writing this. I have a healthy three-year-old, and since then I've had four chemical pregnancies, a missed miscarriage at 9 weeks and an ectopic. My doctor tested us and found no HLA class II mismatches (so we share types?). My NK cells were normal, but my TNF-alpha was high. I also had stage 2 endometriosis removed last spring.

The plan now is IUI with letrozole, plus intralipid, enoxaparin and prednisone. What do you make of my case? Is there anything else I should ask for before we start?`,
        replies: [
          {
            by: "nwosu",
            hoursAfter: 40,
            body: `Thank you for sharing your history so clearly. A first pregnancy that went well followed by repeated losses fits the pattern in the article.

I would ask for your NK cells to be re-evaluated for **activation**, not concentration: a cytotoxicity test, in which your NK cells are tested against K-562 target cells, shows how aggressive they are. A normal count with high activity is common. The high TNF-alpha points the same way.

Your plan covers the main bases, but the activation result may change the doses and timing. Bring it to your doctor before the IUI cycle starts.`,
            replies: [
              {
                by: "marigold",
                hoursAfter: 52,
                body: `That makes sense. If the cytotoxicity comes back high, would you still start with intralipid, or is there something that works better for activated NK cells?`,
                replies: [
                  {
                    by: "nwosu",
                    hoursAfter: 60,
                    body: `Intralipid is a reasonable first step, and it is what many clinics use. IVIG is an alternative some specialists prefer when activity is very high, but it is costly and the trial evidence is mixed. Ask your doctor to repeat the activation test a few weeks after the first infusion: that tells you whether the treatment is doing what it should.`,
                    replies: [
                      {
                        by: "marigold",
                        hoursAfter: 70,
                        body: `Thank you. I'll ask for the test and the repeat. It helps to have a plan.`,
                      },
                    ],
                  },
                ],
              },
            ],
          },
          {
            by: "hazel",
            hoursAfter: 45,
            body: `Marigold, our story is very similar (one healthy child, then losses). Sending you strength. The activation test was what finally gave us answers.`,
          },
        ],
      },
      {
        by: "marigold",
        hoursAfter: 200,
        status: "PENDING",
        body: `Update for anyone reading later: the cytotoxicity test is booked at a lab two hours away, on the 14th.`,
      },
    ],
  },
  {
    kind: "ARTICLE",
    by: "varga",
    category: "ivf-implantation-failure",
    title: "Immune add-ons in recurrent implantation failure: what the evidence says and what it doesn't",
    daysAgo: 12,
    tags: ["implantation failure", "ivf add-ons", "evidence"],
    references: LENSEN_2019,
    body: `**Recurrent implantation failure (RIF)** usually means no pregnancy after three or more transfers of good-quality blastocysts. It is exhausting, and it is natural to look for a cause that can be fixed.

Research has found immune differences in some women with RIF: a shift in the balance between Th1 and Th2 helper T cells, and changes in the numbers of NK cells and macrophages in the lining of the womb. These findings have led to "personalised" add-on treatments, including:

- tacrolimus
- intravenous immunoglobulin (IVIG)
- progesterone and prednisolone
- intralipid infusions
- endometrial scratching

Here is the honest part: **most of these add-ons have not been shown to work in large randomised trials.** Some may help a particular group of patients; some probably help no one. Before you agree to an add-on, ask what result it is meant to change, how that will be measured, and what it costs.

I'm happy to answer questions below about your own situation.`,
    replies: [
      {
        by: "clover",
        hoursAfter: 20,
        body: `Is endometrial scratching still recommended? My clinic offers it for an extra fee before the next transfer.`,
        replies: [
          {
            by: "varga",
            hoursAfter: 26,
            references: LENSEN_2019,
            helpfulBy: ["clover", "juniper"],
            body: `The larger trials have not shown a benefit in live births for most women, and it is an uncomfortable procedure. I would not pay extra for it on its own. Your money and energy may be better spent on a careful review of why earlier transfers failed: embryo quality, the uterine lining, and any immune findings.`,
            replies: [{ by: "clover", hoursAfter: 30, body: `That's really helpful, thank you. I'll ask for a full review instead.` }],
          },
        ],
      },
    ],
  },
  {
    kind: "QUESTION",
    by: "hazel",
    category: "recurrent-pregnancy-loss",
    title: "Three early losses after a healthy first pregnancy: which tests are worth asking for?",
    daysAgo: 16,
    body: `I'm 36. My son is four, and in the last eighteen months I've had three losses before 8 weeks. My GP says three is "the point where we investigate", but I don't know what to ask for. Which tests matter, and which are a waste of time and money?`,
    replies: [
      {
        by: "nwosu",
        hoursAfter: 12,
        references: ESHRE_RPL_PMID,
        agreeBy: ["varga"],
        helpfulBy: ["hazel", "wren", "marigold", "juniper"],
        accepted: true,
        body: `I'm sorry for your losses. After three, a structured work-up is reasonable:

- **Antiphospholipid antibodies** (lupus anticoagulant, anticardiolipin, anti-β2-glycoprotein I), repeated after 12 weeks if positive.
- **Thyroid function and thyroid antibodies.**
- **A look at the uterus** (a 3D ultrasound or saline scan).
- **Parental karyotypes** in some situations, and testing of pregnancy tissue if there is another loss.

After a successful first pregnancy, immune factors such as NK-cell activity and HLA sharing are also worth discussing with a specialist. Many routine clinics don't offer these tests.`,
        replies: [
          {
            by: "hazel",
            hoursAfter: 20,
            body: `Thank you. Should the antibody tests be done while I'm trying to conceive, or is there a better time?`,
            replies: [
              {
                by: "nwosu",
                hoursAfter: 28,
                body: `Any time outside a pregnancy works, ideally at least six weeks after a loss. If a result is positive, the repeat at 12 weeks confirms whether it is persistent, which is what matters for treatment.`,
              },
            ],
          },
        ],
      },
      {
        by: "wren",
        hoursAfter: 18,
        body: `I pushed for the antiphospholipid tests after my third loss and it changed everything for us. Don't let them put you off.`,
      },
    ],
  },
  {
    kind: "QUESTION",
    by: "clover",
    category: "ivf-implantation-failure",
    title: "Four good blastocysts transferred and none implanted. Is this RIF?",
    daysAgo: 10,
    body: `We've had four transfers of good-quality blastocysts (two were PGT-tested) and not a single positive test. The embryologist says the embryos looked excellent. Does this count as recurrent implantation failure, and what should we look at next?`,
    replies: [
      {
        by: "varga",
        hoursAfter: 9,
        agreeBy: ["nwosu"],
        helpfulBy: ["clover"],
        accepted: true,
        body: `Yes: by most definitions, no pregnancy after three or more transfers of good-quality embryos is recurrent implantation failure. With tested embryos, the focus moves to the uterus and the immune environment: the lining's thickness and pattern, a hysteroscopy for polyps or adhesions, chronic endometritis, and, in selected cases, NK-cell and Th1/Th2 testing.`,
        replies: [
          {
            by: "clover",
            hoursAfter: 15,
            body: `Nobody has mentioned chronic endometritis before. How is it tested?`,
            replies: [
              {
                by: "varga",
                hoursAfter: 22,
                body: `With a small biopsy of the lining, stained for plasma cells (CD138). It is usually treated with a course of antibiotics, then the biopsy is repeated. It is simple and inexpensive, so it's a sensible early step.`,
              },
            ],
          },
        ],
      },
    ],
  },
  {
    kind: "QUESTION",
    by: "saffron",
    category: "reproductive-immunology",
    title: "My TNF-alpha and Th1:Th2 ratio came back high. What does that actually mean?",
    daysAgo: 8,
    body: `My results show an elevated TNF-alpha and a Th1:Th2 ratio "above reference". The report doesn't explain anything, and my next appointment is five weeks away. Is this dangerous for a pregnancy?`,
    replies: [
      {
        by: "varga",
        hoursAfter: 14,
        body: `It isn't dangerous to you, and on its own it doesn't mean a pregnancy will fail. Th1 cells drive inflammation; Th2 cells support tolerance. A ratio tilted towards Th1, with a high TNF-alpha, suggests a more inflammatory immune environment, which some studies link with implantation failure and loss.

Whether to treat depends on your whole history. Write down your questions for the appointment: what the result would change, and what the options and their evidence are.`,
      },
      {
        by: "juniper",
        hoursAfter: 20,
        body: `Five weeks is such a long time to wait with a result like that. I had the same and it helped to write everything down for the appointment, like the doctor says.`,
      },
    ],
  },
  {
    kind: "QUESTION",
    by: "wren",
    category: "autoimmune-conditions-in-pregnancy",
    title: "Antiphospholipid syndrome confirmed: aspirin and heparin next time?",
    daysAgo: 6,
    body: `After two losses my antiphospholipid antibodies were positive twice, twelve weeks apart. I've been told "aspirin and heparin next time". When do they usually start, and is there anything else I should know?`,
    replies: [
      {
        by: "nwosu",
        hoursAfter: 10,
        agreeBy: ["varga"],
        helpfulBy: ["wren", "hazel"],
        body: `Low-dose aspirin is usually started before conception or as soon as the test is positive, and heparin (often enoxaparin) once a pregnancy is confirmed. Your care should be shared between your obstetric team and, ideally, a specialist in haematology or maternal medicine, with extra scans later in pregnancy to check the baby's growth.

This combination has good evidence in antiphospholipid syndrome. Your chances next time are much better than after untreated losses.`,
        replies: [
          {
            by: "wren",
            hoursAfter: 19,
            body: `Thank you, that's the first time someone has said my chances are good. Do I need to stop the heparin before the birth?`,
            replies: [
              {
                by: "nwosu",
                hoursAfter: 26,
                body: `Usually it is paused about 24 hours before a planned birth or an epidural, and restarted afterwards for some weeks. Your team will give you a written plan; ask for it by around 34 weeks.`,
              },
            ],
          },
        ],
      },
      {
        by: "sunrise",
        hoursAfter: 60,
        body: `Our natural immune protocol balances NK cells without any drugs, so you can skip the heparin. Message us for a consultation!`,
      },
    ],
  },
  {
    kind: "QUESTION",
    by: "juniper",
    category: "support",
    title: "How do you get through the waiting after another loss?",
    daysAgo: 5,
    body: `My third loss was two weeks ago. Everyone says "wait a couple of cycles", and the waiting is the hardest part. How do you get through it? I feel like I'm just counting days.`,
    replies: [
      {
        by: "marigold",
        hoursAfter: 3,
        body: `I'm so sorry. What helped me: one small plan for each week that had nothing to do with trying, and this forum at night when I couldn't sleep. You are not alone.`,
        replies: [{ by: "juniper", hoursAfter: 8, body: `Thank you, Marigold. One small plan a week sounds doable.` }],
      },
      {
        by: "nwosu",
        hoursAfter: 20,
        body: `What you're feeling is a normal response to a real loss. If the sadness stays heavy, or you stop being able to do daily things, please talk to your doctor: grief after pregnancy loss is common, and help works. And if you ever think about harming yourself, call your local emergency number now.`,
      },
    ],
  },
  {
    kind: "QUESTION",
    by: "hazel",
    category: "autoimmune-conditions-in-pregnancy",
    title: "Lupus in remission: how long should I wait before trying again?",
    daysAgo: 2,
    body: `I was diagnosed with lupus three years ago and have been in remission on hydroxychloroquine for a year. My rheumatologist is positive, but I'd like to know what a reproductive specialist would want checked before we try.`,
  },
  {
    kind: "QUESTION",
    by: "juniper",
    category: "ivf-implantation-failure",
    title: "Is prednisolone during the two-week wait worth it?",
    daysAgo: 1,
    status: "PENDING",
    body: `My clinic suggested prednisolone from transfer until the pregnancy test. I've read mixed things. Is there evidence it helps, and what are the side effects at a low dose?`,
  },
  {
    kind: "QUESTION",
    by: "juniper",
    category: "recurrent-pregnancy-loss",
    title: "Results from my clinic appointment: can someone explain?",
    daysAgo: 3,
    status: "REJECTED",
    reason: "Contains identifying details",
    note: "Thank you for asking. Your post included your full name and your clinic's patient number. Please remove them and resubmit; your question itself is welcome.",
    body: `My name is Jane Example and my patient number at the clinic is 4471-2290. They gave me my immunology results today and I don't understand the NK part. Can someone explain what "CD56 bright" means?`,
  },
  {
    kind: "QUESTION",
    by: "saffron",
    category: "recurrent-pregnancy-loss",
    title: "Progesterone after bleeding in early pregnancy?",
    daysAgo: 0.3,
    status: "PENDING",
    body: `I've had two losses and I'm now 6 weeks pregnant with some light bleeding. I read that progesterone can help in this situation. Is that right?`,
  },
];

/** Demo references go through the same parser as the form, so the demo can't hold what the form would refuse. */
function demoReferences(text: string | undefined): Prisma.InputJsonValue {
  if (!text) return [];
  const parsed = parseReferences(text);
  if (!parsed.ok) throw new Error(`seed: ${parsed.message}`);
  return parsed.references as unknown as Prisma.InputJsonValue;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Creates the demo accounts and content, once. Returns false when the database already has users. */
export async function seedDemo(db: Database, now = new Date()): Promise<boolean> {
  if ((await db.user.count()) > 0) return false;
  await seedBase(db);
  const passwordHash = await createPasswordHasher().hash(DEMO_PASSWORD);
  const ids = new Map<string, string>();
  const moderatorId = randomUUID();
  const categories = new Map((await db.category.findMany()).map((c) => [c.slug, c.id]));

  await db.$transaction(
    async (tx) => {
      for (const u of USERS) {
        const id = u.key === "mod" ? moderatorId : randomUUID();
        ids.set(u.key, id);
        await tx.user.create({
          data: {
            id,
            email: u.email,
            passwordHash,
            pseudonym: u.pseudonym,
            pseudonymKey: pseudonymKey(u.pseudonym),
            role: u.role,
            createdAt: new Date(now.getTime() - u.daysAgo * DAY),
            // The demo accounts are confirmed and agreed to the privacy notice, as if they had joined.
            emailConfirmedAt: new Date(now.getTime() - u.daysAgo * DAY),
            consentAt: new Date(now.getTime() - u.daysAgo * DAY),
            consentVersion: PRIVACY_NOTICE_VERSION,
          },
        });
      }
      for (const u of USERS) {
        const id = ids.get(u.key) as string;
        if (u.physician) {
          const p = u.physician;
          const verifiedAt = p.verified ? new Date(now.getTime() - (p.verifiedDaysAgo ?? 1) * DAY) : null;
          const profile = await tx.physicianProfile.create({
            data: {
              userId: id,
              handle: p.handle,
              fullName: p.fullName,
              credentials: p.credentials,
              specialty: p.specialty,
              licenseNumber: p.license,
              jurisdiction: p.jurisdiction,
              status: p.revoked ? "REVOKED" : p.verified ? "VERIFIED" : "PENDING",
              verifiedAt,
              ...(p.revoked ? { revokedAt: new Date(now.getTime() - 3 * DAY), reviewReason: p.revoked } : {}),
              bio: p.bio ?? "",
              disclosures: p.disclosures ?? "",
              reviewedById: p.verified ? moderatorId : null,
              // Where each demo badge came from: the registry named in the jurisdiction, the licence as its reference.
              ...(p.verified && verifiedAt
                ? {
                    registryName: `Public register of ${p.jurisdiction}`,
                    registryReference: p.license,
                    checkedOn: new Date(`${verifiedAt.toISOString().slice(0, 10)}T00:00:00Z`),
                    reverifyBy: new Date(
                      `${new Date(verifiedAt.getTime() + (p.recheckAfterDays ?? 365) * DAY).toISOString().slice(0, 10)}T00:00:00Z`,
                    ),
                  }
                : {}),
              createdAt: new Date(now.getTime() - u.daysAgo * DAY),
            },
          });
          if (p.verified && verifiedAt) {
            await tx.moderationLog.create({
              data: {
                actorId: moderatorId,
                action: "verify",
                targetType: "PHYSICIAN_APPLICATION",
                targetId: String(profile.id),
                createdAt: verifiedAt,
              },
            });
          }
          if (p.revoked) {
            await tx.moderationLog.create({
              data: {
                actorId: moderatorId,
                action: "revoke",
                targetType: "PHYSICIAN_APPLICATION",
                targetId: String(profile.id),
                reason: p.revoked,
                createdAt: new Date(now.getTime() - 3 * DAY),
              },
            });
          }
        }
      }

      const user = (key: string) => {
        const id = ids.get(key);
        if (!id) throw new Error(`seed: unknown demo user ${key}`);
        return id;
      };
      const isPhysician = (key: string) => USERS.find((u) => u.key === key)?.physician?.verified === true;

      async function addReplies(
        threadId: number,
        list: DemoReply[],
        parent: { id: number; path: string; rootId: number; depth: number } | null,
        start: Date,
      ) {
        for (const r of list) {
          const at = new Date(start.getTime() + r.hoursAfter * HOUR);
          const status: ModerationStatus = r.status ?? "APPROVED";
          const created = await tx.reply.create({
            data: {
              threadId,
              parentId: parent?.id ?? null,
              depth: parent ? parent.depth + 1 : 0,
              authorId: user(r.by),
              body: r.body,
              status,
              moderationReason: r.reason ?? null,
              moderationNote: r.note ?? null,
              createdAt: at,
              updatedAt: at,
              approvedAt: status === "APPROVED" ? new Date(at.getTime() + (isPhysician(r.by) ? 0 : 2 * HOUR)) : null,
              references: demoReferences(r.references),
              helpfulCount: r.helpfulBy?.length ?? 0,
              agreeCount: r.agreeBy?.length ?? 0,
              acceptedAt: r.accepted ? new Date(at.getTime() + 6 * HOUR) : null,
            },
          });
          for (const by of r.helpfulBy ?? []) await tx.helpfulMark.create({ data: { replyId: created.id, userId: user(by) } });
          for (const by of r.agreeBy ?? []) await tx.agreement.create({ data: { replyId: created.id, userId: user(by) } });
          const path = replyPath(parent, created.id);
          const rootId = parent?.rootId ?? created.id;
          await tx.reply.update({ where: { id: created.id }, data: { path, rootId } });
          if (status === "APPROVED" && !isPhysician(r.by)) {
            await tx.moderationLog.create({
              data: {
                actorId: moderatorId,
                action: "approve",
                targetType: "REPLY",
                targetId: String(created.id),
                createdAt: new Date(at.getTime() + 2 * HOUR),
              },
            });
          }
          if (r.replies)
            await addReplies(threadId, r.replies, { id: created.id, path, rootId, depth: parent ? parent.depth + 1 : 0 }, start);
        }
      }

      for (const t of THREADS) {
        const createdAt = new Date(now.getTime() - t.daysAgo * DAY);
        const status: ModerationStatus = t.status ?? "APPROVED";
        const approvedAt = status === "APPROVED" ? new Date(createdAt.getTime() + (isPhysician(t.by) ? 0 : 3 * HOUR)) : null;
        const categoryId = categories.get(t.category);
        if (!categoryId) throw new Error(`seed: unknown category ${t.category}`);
        const thread = await tx.thread.create({
          data: {
            kind: t.kind,
            title: t.title,
            body: t.body,
            categoryId,
            authorId: user(t.by),
            status,
            moderationReason: t.reason ?? null,
            moderationNote: t.note ?? null,
            moderatedById: status === "APPROVED" || status === "REJECTED" ? moderatorId : null,
            moderatedAt: status === "REJECTED" ? new Date(createdAt.getTime() + 4 * HOUR) : approvedAt,
            createdAt,
            updatedAt: createdAt,
            approvedAt,
            lastActivityAt: approvedAt ?? createdAt,
            tags: t.tags ?? [],
            references: demoReferences(t.references),
          },
        });
        if (status !== "PENDING" && !isPhysician(t.by)) {
          await tx.moderationLog.create({
            data: {
              actorId: moderatorId,
              action: status === "APPROVED" ? "approve" : "reject",
              targetType: "THREAD",
              targetId: String(thread.id),
              reason: t.reason ?? null,
              note: t.note ?? null,
              createdAt: approvedAt ?? new Date(createdAt.getTime() + 4 * HOUR),
            },
          });
        }
        if (t.replies) await addReplies(thread.id, t.replies, null, createdAt);
      }
    },
    { timeout: 60_000 },
  );
  for (const f of FLAGS) {
    const reply = await db.reply.findFirstOrThrow({ where: { body: { startsWith: f.replyStartsWith } }, select: { id: true } });
    const reporter = await db.user.findUniqueOrThrow({
      where: { pseudonymKey: pseudonymKey(USERS.find((u) => u.key === f.by)?.pseudonym ?? "") },
    });
    await db.flag.create({ data: { reporterId: reporter.id, replyId: reply.id, reason: f.reason, note: f.note ?? null } });
  }
  await recountThreads(db);
  await seedActivity(db, ids, now);
  return true;
}

/**
 * What the demo accounts find on their next visit: the patient's notifications (answers and decisions) and
 * mail subscriptions, an edit of theirs awaiting review, and the physician's categories for new questions.
 */
async function seedActivity(db: Database, ids: Map<string, string>, now: Date) {
  const patient = ids.get("juniper") as string;
  const physician = ids.get("nwosu") as string;
  // An article edited after publication: both versions are in its public revision history.
  const addOns = await db.thread.findFirstOrThrow({ where: { kind: "ARTICLE", authorId: ids.get("varga") as string } });
  await proposeEdit(
    db,
    addOns.authorId,
    "threads",
    addOns.id,
    {
      title: addOns.title,
      body: `${addOns.body}\n\n*Updated:* the ESHRE guideline on recurrent pregnancy loss reaches a similar conclusion for immune treatments after miscarriage: most are not recommended outside trials.`,
      categoryId: addOns.categoryId,
      tags: addOns.tags,
      references: [...storedReferences(addOns.references), ...storedReferences(demoReferences(ESHRE_RPL))],
    },
    true,
  );
  const mine = await db.thread.findMany({ where: { authorId: patient }, orderBy: { id: "asc" } });
  for (const t of mine) {
    await db.threadSubscription.create({ data: { userId: patient, threadId: t.id } });
    const url = threadUrl(t);
    if (t.status === "REJECTED")
      await db.notification.create({
        data: {
          userId: patient,
          kind: "DECISION",
          message: "Your question was not approved",
          detail: [t.moderationReason, t.moderationNote].filter(Boolean).join(" — "),
          url,
        },
      });
    if (t.status === "APPROVED") {
      await db.notification.create({
        data: { userId: patient, kind: "DECISION", message: "Your question was approved and is now public", url, readAt: now },
      });
      const answer = await db.reply.findFirst({
        where: { threadId: t.id, authorId: physician, status: "APPROVED" },
        orderBy: { id: "asc" },
      });
      if (answer)
        await db.notification.create({
          data: {
            userId: patient,
            kind: "REPLY_TO_QUESTION",
            message: "Dr. Amara Nwosu replied to your question",
            url: `${url}#reply-${answer.id}`,
          },
        });
    }
  }
  const published = mine.find((t) => t.status === "APPROVED");
  if (published) {
    await db.postRevision.createMany({
      data: [
        {
          threadId: published.id,
          editorId: patient,
          title: published.title,
          body: published.body,
          categoryId: published.categoryId,
          status: "APPROVED",
          createdAt: published.approvedAt ?? published.createdAt,
          decidedAt: published.approvedAt,
        },
        {
          threadId: published.id,
          editorId: patient,
          title: published.title,
          body: `${published.body}\n\nUpdate: my thyroid tests came back normal.`,
          categoryId: published.categoryId,
          status: "PENDING",
        },
      ],
    });
  }
  const followed = await db.category.findMany({
    where: { slug: { in: ["recurrent-pregnancy-loss", "reproductive-immunology"] } },
    select: { id: true },
  });
  await db.physicianProfile.update({
    where: { userId: physician },
    data: { categoryIds: followed.map((c) => c.id), questionMail: "DAILY" },
  });
}

/**
 * A queue to practise on: `count` pending questions and replies from fictional new members
 * (`npm run seed -- --large-queue`). Never in production.
 */
export async function seedLargeQueue(db: Database, count = 200): Promise<number> {
  const passwordHash = await createPasswordHasher().hash(randomUUID());
  const categories = await db.category.findMany({ select: { id: true } });
  const threads = await db.thread.findMany({ where: { status: "APPROVED" }, select: { id: true }, take: 20 });
  if (categories.length === 0) throw new Error("seed the categories first");
  const stamp = Date.now().toString(36);
  const people = Array.from({ length: 20 }, (_, i) => ({
    id: randomUUID(),
    email: `queue-${stamp}-${i}@example.invalid`,
    passwordHash,
    pseudonym: `Queue Member ${stamp}-${i + 1}`,
    pseudonymKey: pseudonymKey(`Queue Member ${stamp}-${i + 1}`),
    emailConfirmedAt: new Date(),
    consentAt: new Date(),
    consentVersion: PRIVACY_NOTICE_VERSION,
  }));
  await db.user.createMany({ data: people });
  const now = Date.now();
  const topics = [
    "NK-cell results",
    "progesterone support",
    "heparin timing",
    "a third transfer",
    "thyroid antibodies",
    "waiting after a loss",
    "intralipid",
    "HLA typing",
  ];
  let made = 0;
  for (let i = 0; i < count; i++) {
    const author = people[i % people.length]?.id as string;
    const at = new Date(now - (count - i) * 5 * 60_000);
    const topic = topics[i % topics.length];
    if (i % 3 !== 0 || threads.length === 0) {
      await db.thread.create({
        data: {
          title: `Queue practice ${i + 1}: a question about ${topic}`,
          body: `This is practice question ${i + 1} about ${topic}. It waits for a moderator like any patient's question.`,
          categoryId: categories[i % categories.length]?.id as number,
          authorId: author,
          status: "PENDING",
          createdAt: at,
          updatedAt: at,
          lastActivityAt: at,
        },
      });
    } else {
      const threadId = threads[i % threads.length]?.id as number;
      const reply = await db.reply.create({
        data: {
          threadId,
          authorId: author,
          body: `Practice reply ${i + 1} about ${topic}: thank you, this helps.`,
          status: "PENDING",
          createdAt: at,
          updatedAt: at,
        },
      });
      await db.reply.update({ where: { id: reply.id }, data: { path: replyPath(null, reply.id), rootId: reply.id } });
    }
    made++;
  }
  return made;
}
