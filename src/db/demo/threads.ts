// The demo's questions, articles and replies, in our own words on the topics Curbside was built for. Read by the
// demo seed (../seed.ts), which creates them as they are here, relative to the time it runs.
import type { ModerationStatus } from "../../generated/prisma/enums.ts";

export interface DemoReply {
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

export interface DemoThread {
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

export const ESHRE_RPL =
  "doi:10.1093/hropen/hoad002 ESHRE Guideline Group on RPL. ESHRE guideline: recurrent pregnancy loss: an update in 2022. Hum Reprod Open. 2023;2023(1):hoad002.";
const ESHRE_RPL_PMID =
  "PMID: 36873081 ESHRE Guideline Group on RPL. ESHRE guideline: recurrent pregnancy loss: an update in 2022. Hum Reprod Open. 2023.";
const LENSEN_2019 =
  "PMID: 30673547 Lensen S, et al. A randomized trial of endometrial scratching before in vitro fertilization. N Engl J Med. 2019;380(4):325-334. doi:10.1056/NEJMoa1808737";

export const THREADS: DemoThread[] = [
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
