// Articles: only verified physicians write them; tags and references; patients' questions beneath as threaded
// comments; "Ask Dr. X" from the article; edits publish at once and every version stays in a public history.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let doctor: UserFixture;
let handle: string;
let doctorAgent: ReturnType<TestApp["agent"]>;
let category: string;

beforeAll(async () => {
  t = await buildTestApp();
  doctor = await createUser(t.db, "physician", { fullName: "Article Writer" });
  handle = (await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: doctor.id } })).handle;
  doctorAgent = t.agent();
  await logIn(doctorAgent, doctor);
  category = String(await categoryId(t.db, "reproductive-immunology"));
});
afterAll(() => t.close());

const BODY = "Uterine NK cells are not the same as the NK cells in blood, and a blood count says little about them. ".repeat(3);
const fields = (over: Record<string, string> = {}) => ({
  title: "What an NK-cell test can and cannot tell you",
  body: BODY,
  categoryId: category,
  tags: "NK cells, Tests, nk cells",
  references: "PMID: 30673547 Lensen S, et al. N Engl J Med. 2019.\ndoi:10.1093/hropen/hoad002 ESHRE guideline 2022.",
  ...over,
});

describe("writing an article", () => {
  it("is for verified physicians only: patients, applicants and moderators are refused and nothing is saved", async () => {
    for (const persona of ["patient", "unverifiedPhysician", "moderator"] as const) {
      const agent = t.agent();
      await logIn(agent, await createUser(t.db, persona));
      const page = await agent.get("/articles/new");
      expect(page.status, persona).toBe(403);
      expect(textOf(page.text)).toContain("Articles are written by verified physicians.");
      const res = await submit(agent, "/account", "/articles/new", fields({ title: `Refused article by a ${persona}` }));
      expect(res.status, persona).toBe(403);
    }
    expect(await t.db.thread.count({ where: { title: { startsWith: "Refused article" } } })).toBe(0);
    expect((await t.http().get("/articles/new")).headers.location).toBe("/login?next=%2Farticles%2Fnew");
  });

  it("publishes at once with its tags and a numbered reference list, and offers Ask Dr. X", async () => {
    const res = await submit(doctorAgent, "/articles/new", "/articles/new", fields());
    expect(res.status).toBe(303);
    const article = await t.db.thread.findFirstOrThrow({ where: { title: fields().title } });
    expect(article).toMatchObject({ kind: "ARTICLE", status: "APPROVED", tags: ["nk cells", "tests"] });
    expect(res.headers.location).toBe(`/t/${article.id}/what-an-nk-cell-test-can-and-cannot-tell-you`);

    const page = await t.http().get(res.headers.location as string);
    const text = textOf(page.text);
    expect(text).toContain(
      "References Lensen S, et al. N Engl J Med. 2019. PMID: 30673547 ESHRE guideline 2022. DOI: 10.1093/hropen/hoad002",
    );
    expect(page.text).toMatch(/<ol class="reference-list">\s*<li>.*href="https:\/\/pubmed\.ncbi\.nlm\.nih\.gov\/30673547\/"/s);
    expect(page.text).toContain('href="https://doi.org/10.1093/hropen/hoad002"');
    expect(page.text).toContain('href="/articles?tag&#x3D;nk%20cells"');
    expect(page.text).toContain(`href="/ask?to&#x3D;${handle}"`);
    expect(text).toContain("Ask Dr. Article Writer a question of your own");
    expect(text).toContain("Ask the doctor a question");

    const tagged = textOf((await t.http().get("/articles?tag=NK%20Cells")).text);
    expect(tagged).toContain("Articles tagged “nk cells”");
    expect(tagged).toContain(fields().title);
    expect(textOf((await t.http().get("/articles?tag=unused-tag")).text)).toContain("No articles are tagged “unused-tag” yet.");
    expect((await t.http().get("/articles?tag=%3Cscript%3E")).status).toBe(400);
  });

  it("bad input: a malformed DOI or PMID, a bad tag, a short body — the form comes back with the text kept", async () => {
    const badDoi = await submit(
      doctorAgent,
      "/articles/new",
      "/articles/new",
      fields({
        title: "Kept title for a refused article",
        references: "PMID: 30673547\n10.12/too-short-prefix",
      }),
    );
    expect(badDoi.status).toBe(400);
    expect(textOf(badDoi.text)).toContain("Reference on line 2: “10.12/too-short-prefix” is not a DOI or a PubMed ID.");
    expect(badDoi.text).toContain('value="Kept title for a refused article"');
    expect(badDoi.text).toContain("10.12/too-short-prefix</textarea>");
    expect(badDoi.text).toContain("Uterine NK cells are not the same");
    expect(badDoi.text).toContain('aria-invalid="true"');

    const badPmid = await submit(doctorAgent, "/articles/new", "/articles/new", fields({ references: "PMID: 12ab" }));
    expect(badPmid.status).toBe(400);
    expect(textOf(badPmid.text)).toContain("Reference on line 1: “PMID:12ab” is not a DOI or a PubMed ID.");

    const badTag = await submit(doctorAgent, "/articles/new", "/articles/new", fields({ tags: "fine, <b>bold</b>" }));
    expect(badTag.status).toBe(400);
    expect(textOf(badTag.text)).toContain("The tag “<b>bold</b>” can't be used");
    const tooMany = await submit(doctorAgent, "/articles/new", "/articles/new", fields({ tags: "a1, b2, c3, d4, e5, f6, g7" }));
    expect(textOf(tooMany.text)).toContain("Use at most 6 tags.");
    const short = await submit(doctorAgent, "/articles/new", "/articles/new", fields({ body: "Too short." }));
    expect(textOf(short.text)).toContain("The article needs at least 200 characters.");
    expect(await t.db.thread.count({ where: { title: "Kept title for a refused article" } })).toBe(0);
  });
});

describe("under an article", () => {
  it("patients ask as threaded comments; the physician answers beneath, one level deeper", async () => {
    await submit(doctorAgent, "/articles/new", "/articles/new", fields({ title: "An article that hosts questions" }));
    const article = await t.db.thread.findFirstOrThrow({ where: { title: "An article that hosts questions" } });
    const patient = t.agent();
    await logIn(patient, await createUser(t.db, "patient", { pseudonym: "Bluebell" }));
    const asked = await submit(patient, `/t/${article.id}`, `/t/${article.id}/replies`, {
      body: "My NK count was normal. Is the activity test still worth doing?",
      parentId: "",
    });
    expect(asked.status).toBe(303);
    const question = await t.db.reply.findFirstOrThrow({ where: { threadId: article.id } });
    expect(question.status).toBe("PENDING");
    await t.db.reply.update({ where: { id: question.id }, data: { status: "APPROVED", approvedAt: new Date() } });
    const answered = await submit(doctorAgent, `/t/${article.id}`, `/t/${article.id}/replies`, {
      body: "Yes: the count and the activity measure different things.",
      parentId: String(question.id),
      references: "PMID: 30673547",
    });
    expect(answered.status).toBe(303);
    const answer = await t.db.reply.findFirstOrThrow({ where: { threadId: article.id, parentId: question.id } });
    expect(answer).toMatchObject({ depth: 1, status: "APPROVED" });
    const page = await t.http().get(`/t/${article.id}`);
    expect(page.text).toMatch(
      new RegExp(`id="reply-${question.id}".*Bluebell.*<ol class="replies children">.*id="reply-${answer.id}".*Dr\\. Article Writer`, "s"),
    );
    expect(textOf(page.text)).toContain("References PMID: 30673547");
  });

  it("'Ask Dr. X' from the article addresses a question to its author", async () => {
    const patient = t.agent();
    await logIn(patient, await createUser(t.db, "patient"));
    const form = await patient.get(`/ask?to=${handle}`);
    expect(textOf(form.text)).toContain("Ask Dr. Article Writer");
    const res = await submit(patient, `/ask?to=${handle}`, "/ask", {
      title: "A question of my own after reading the article",
      body: "My history is different from the article's example; what would you test first?",
      categoryId: category,
      to: handle,
    });
    expect(res.status).toBe(303);
    expect((await t.db.thread.findFirstOrThrow({ where: { title: "A question of my own after reading the article" } })).addressedToId).toBe(
      doctor.id,
    );
  });
});

describe("editing an article", () => {
  it("publishes the edit at once and keeps every version in a public history", async () => {
    await submit(
      doctorAgent,
      "/articles/new",
      "/articles/new",
      fields({ title: "An article that will change", references: "PMID: 30673547" }),
    );
    const article = await t.db.thread.findFirstOrThrow({ where: { title: "An article that will change" } });
    const form = await doctorAgent.get(`/articles/${article.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain("nk cells, tests");
    expect(form.text).toContain("PMID: 30673547</textarea>");
    expect((await doctorAgent.get(`/t/${article.id}/edit`)).headers.location).toBe(`/articles/${article.id}/edit`);

    const edited = await submit(
      doctorAgent,
      `/articles/${article.id}/edit`,
      `/articles/${article.id}/edit`,
      fields({
        title: "An article that changed",
        body: `${BODY} A new paragraph on the activity test.`,
        tags: "NK cells",
        references: "PMID: 30673547\ndoi:10.1093/hropen/hoad002",
      }),
    );
    expect(edited.status).toBe(303);
    const now = await t.db.thread.findUniqueOrThrow({ where: { id: article.id } });
    expect(now).toMatchObject({ title: "An article that changed", tags: ["nk cells"], status: "APPROVED" });

    const history = await t.http().get(`/articles/${article.id}/history`);
    expect(history.status).toBe(200);
    const text = textOf(history.text);
    expect(text).toMatch(/Version 2 \(current\).*An article that changed.*A new paragraph.*Version 1.*An article that will change/s);
    expect(text).toContain("DOI: 10.1093/hropen/hoad002");
    expect(textOf((await t.http().get(`/t/${article.id}`)).text)).toContain("Revision history");
  });

  it("only its author edits it; the history of a question or an unknown id is not found", async () => {
    await submit(doctorAgent, "/articles/new", "/articles/new", fields({ title: "An article only its author edits" }));
    const article = await t.db.thread.findFirstOrThrow({ where: { title: "An article only its author edits" } });
    for (const persona of ["physician", "patient", "moderator"] as const) {
      const agent = t.agent();
      await logIn(agent, await createUser(t.db, persona));
      expect((await agent.get(`/articles/${article.id}/edit`)).status, persona).toBe(403);
      const res = await submit(agent, "/account", `/articles/${article.id}/edit`, fields({ title: "Taken over by someone else" }));
      expect(res.status, persona).toBe(403);
    }
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: article.id } })).title).toBe("An article only its author edits");
    const question = await t.db.thread.create({
      data: {
        kind: "QUESTION",
        title: "Not an article",
        body: "A question.",
        categoryId: Number(category),
        authorId: doctor.id,
        status: "APPROVED",
      },
    });
    expect((await t.http().get(`/articles/${question.id}/history`)).status).toBe(404);
    expect((await doctorAgent.get(`/articles/${question.id}/edit`)).status).toBe(404);
    expect((await t.http().get("/articles/999999/history")).status).toBe(404);
  });
});
