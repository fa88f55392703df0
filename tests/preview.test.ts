// "Preview" on every form that takes Markdown: the server's own renderer above the form, the text kept, nothing
// stored and no safety review; refused (with the text kept) to whoever could not send the form.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createReply, createThread, createUser, type Persona, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, hiddenFieldsOf, logIn, textOf } from "./helpers/http.ts";

type Agent = ReturnType<TestApp["agent"]>;
let t: TestApp;
let cat: string;
let patient: UserFixture;
let physician: UserFixture;
let patientAgent: Agent;
let physicianAgent: Agent;

const RICH =
  "## Dosing\n\n| Drug | Dose |\n|---|--:|\n| LMWH | 40 mg |\n\n> Ask before you change anything.\n\nTake `40 mg` <script>alert(1)</script>";

async function signedIn(persona: Persona) {
  const user = await createUser(t.db, persona);
  const agent = t.agent();
  await logIn(agent, user);
  return { user, agent };
}

/** Every row of every table, counted: a preview must leave them all as they were. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await t.db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${name.replaceAll('"', '""')}"`);
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

/** Opens `page`, then sends its form for `action` with the Preview button, as a browser without JavaScript does. */
async function preview(agent: Agent, page: string, action: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const html = (await agent.get(page)).text;
  const hidden = hiddenFieldsOf(html, action) ?? { _csrf: csrfFrom(html) };
  return agent
    .post(action)
    .set(headers)
    .type("form")
    .send({ ...hidden, ...fields, intent: "preview" });
}

beforeAll(async () => {
  t = await buildTestApp();
  cat = String(await categoryId(t.db));
  ({ user: patient, agent: patientAgent } = await signedIn("patient"));
  ({ user: physician, agent: physicianAgent } = await signedIn("physician"));
});
afterAll(() => t.close());

function expectPreview(res: { status: number; text: string }, topHeading: "h3" | "h4") {
  expect(res.status).toBe(200);
  expect(res.text).toContain('<section class="preview" id="preview"');
  expect(res.text).toContain(`<${topHeading}>Dosing</${topHeading}>`);
  expect(res.text).toContain('<div class="table-scroll" role="region" tabindex="0" aria-label="Table: Drug, Dose">');
  expect(res.text).toContain("<blockquote>");
  expect(res.text).toContain("<code>40 mg</code>");
  expect(res.text).not.toContain("<script>alert(1)</script>");
  // The text is kept in the form, exactly as typed.
  expect(res.text).toContain(">\n## Dosing\n\n| Drug | Dose |");
  expect(res.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>");
  // No safety review as a send would trigger: that happens when the person sends.
  expect(res.text).not.toContain('id="safety-review"');
}

describe("each Markdown form previews with the server's renderer, keeps the text, and stores nothing", () => {
  it("asking (signed in and signed out), replying, editing a question and a reply, writing and editing an article", async () => {
    const thread = await createThread(t.db, patient, { title: "A thread to reply to in preview" });
    const ownReply = await createReply(t.db, patient, thread.id);
    const article = await createThread(t.db, physician, { kind: "ARTICLE", title: "An article to edit in preview", body: "x".repeat(220) });
    const title = "A title kept by the preview";
    const cases: [Agent, string, string, Record<string, string>, "h3" | "h4"][] = [
      [patientAgent, "/ask", "/ask", { title, body: RICH, categoryId: cat }, "h3"],
      [t.agent(), "/ask", "/ask", { title, body: RICH, categoryId: cat }, "h3"],
      [patientAgent, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body: RICH }, "h4"],
      [patientAgent, `/t/${thread.id}/edit`, `/t/${thread.id}/edit`, { title, body: RICH, categoryId: cat }, "h3"],
      [patientAgent, `/replies/${ownReply.id}/edit`, `/replies/${ownReply.id}/edit`, { body: RICH }, "h3"],
      [physicianAgent, "/articles/new", "/articles/new", { title, body: RICH, categoryId: cat, tags: "nk cells" }, "h3"],
      [physicianAgent, `/articles/${article.id}/edit`, `/articles/${article.id}/edit`, { title, body: RICH, categoryId: cat }, "h3"],
    ];
    const before = await rowCounts();
    for (const [agent, page, action, fields, heading] of cases) {
      const res = await preview(agent, page, action, fields);
      expectPreview(res, heading);
      if (fields.title) expect(res.text, action).toContain(`value="${title}"`);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("an empty text says there is nothing to preview, and a bad title or category does not stop the preview", async () => {
    const empty = await preview(patientAgent, "/ask", "/ask", { title: "", body: "  ", categoryId: "" });
    expect(empty.status).toBe(200);
    expect(textOf(empty.text)).toContain("Nothing to preview yet");
    expect(empty.text).not.toContain('id="error-summary"');
  });

  it("the page's script gets the preview section alone", async () => {
    const res = await preview(
      patientAgent,
      "/ask",
      "/ask",
      { title: "t", body: "**bold** [x](javascript:alert(1))", categoryId: cat },
      {
        "x-preview": "fragment",
      },
    );
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("<html");
    expect(res.text).not.toContain("<form");
    expect(res.text).toContain("data-preview-slot");
    expect(res.text).toContain("<strong>bold</strong>");
    expect(res.text).not.toContain('href="javascript');
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("sending after a preview still goes through the safety review", async () => {
    const body = "I am bleeding heavily and have severe pain on one side. What should I do about my next transfer?";
    const previewed = await preview(patientAgent, "/ask", "/ask", { title: "Bleeding and pain before a transfer", body, categoryId: cat });
    expect(previewed.status).toBe(200);
    expect(previewed.text).not.toContain('id="safety-review"');
    const before = await t.db.thread.count();
    const token = csrfFrom(previewed.text);
    const sent = await patientAgent
      .post("/ask")
      .type("form")
      .send({
        _csrf: token,
        _submission: hiddenFieldsOf(previewed.text, "/ask")?._submission ?? "",
        title: "Bleeding and pain before a transfer",
        body,
        categoryId: cat,
      });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('id="safety-review"');
    expect(await t.db.thread.count()).toBe(before);
  });
});

describe("a preview is refused to whoever could not send the form, with the text kept", () => {
  it("refuses a forged or missing CSRF token", async () => {
    const res = await patientAgent
      .post("/ask")
      .type("form")
      .send({ _csrf: "forged", title: "Kept title", body: "Kept **body**", intent: "preview" });
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain("This form had expired or did not come from this site");
    expect(res.text).toContain("Kept **body**</textarea>");
    expect(res.text).not.toContain('class="preview"');
    const fragment = await patientAgent
      .post("/ask")
      .set("x-preview", "fragment")
      .type("form")
      .send({ title: "x", body: "Kept", intent: "preview" });
    expect(fragment.status).toBe(403);
    expect(fragment.text).not.toContain('class="preview"');
  });

  it("refuses a suspended member on every form they have, and says why", async () => {
    const { user, agent } = await signedIn("physician");
    const thread = await createThread(t.db, patient, { title: "A thread a suspended member sees" });
    const reply = await createReply(t.db, user, thread.id);
    const own = await createThread(t.db, user, { title: "The suspended member's question" });
    const article = await createThread(t.db, user, { kind: "ARTICLE", title: "The suspended physician's article", body: "y".repeat(220) });
    const pages: [string, string][] = [
      ["/ask", "/ask"],
      [`/t/${thread.id}`, `/t/${thread.id}/replies`],
      [`/t/${own.id}/edit`, `/t/${own.id}/edit`],
      [`/replies/${reply.id}/edit`, `/replies/${reply.id}/edit`],
      [`/articles/${article.id}/edit`, `/articles/${article.id}/edit`],
    ];
    const tokens = new Map<string, Record<string, string>>();
    for (const [page, action] of pages) {
      const html = (await agent.get(page)).text;
      tokens.set(action, hiddenFieldsOf(html, action) ?? { _csrf: csrfFrom(html) });
    }
    const token = csrfFrom((await agent.get("/account")).text);
    await t.db.user.update({ where: { id: user.id }, data: { suspendedUntil: new Date(Date.now() + 86_400_000) } });
    const before = await rowCounts();
    for (const [, action] of [...pages, ["/articles/new", "/articles/new"] as const]) {
      const res = await agent
        .post(action)
        .type("form")
        .send({
          ...(tokens.get(action) ?? { _csrf: token }),
          title: "A suspended title",
          body: "Suspended **text** kept",
          categoryId: cat,
          intent: "preview",
        });
      expect(res.status, action).toBe(403);
      expect(textOf(res.text), action).toContain("Your account is suspended until");
      expect(res.text, action).toContain("Suspended **text** kept</textarea>");
      expect(res.text, action).not.toContain('class="preview"');
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses people the form is not for: signed out replies, patients' articles, other people's posts, closed threads", async () => {
    const thread = await createThread(t.db, patient, { title: "A thread for refusals in preview" });
    const reply = await createReply(t.db, patient, thread.id);
    const article = await createThread(t.db, physician, { kind: "ARTICLE", title: "Another physician's article", body: "z".repeat(220) });
    const stranger = (await signedIn("patient")).agent;
    const strangerToken = csrfFrom((await stranger.get("/account")).text);
    const send = (agent: Agent, token: string, action: string) =>
      agent
        .post(action)
        .type("form")
        .send({ _csrf: token, title: "Some title here", body: "Some **text**", categoryId: cat, intent: "preview" });

    const reader = t.agent();
    const readerToken = csrfFrom((await reader.get("/ask")).text);
    const signedOut = await send(reader, readerToken, `/t/${thread.id}/replies`);
    expect(signedOut.status).toBe(401);
    expect(signedOut.text).not.toContain('class="preview"');
    expect((await send(reader, readerToken, "/articles/new")).status).toBe(401);

    expect((await send(stranger, strangerToken, "/articles/new")).status).toBe(403);
    expect((await send(stranger, strangerToken, `/articles/${article.id}/edit`)).status).toBe(403);
    expect((await send(stranger, strangerToken, `/t/${thread.id}/edit`)).status).toBe(404);
    expect((await send(stranger, strangerToken, `/replies/${reply.id}/edit`)).status).toBe(404);

    await t.db.thread.update({ where: { id: thread.id }, data: { lockedAt: new Date() } });
    const locked = await send(stranger, strangerToken, `/t/${thread.id}/replies`);
    expect(locked.status).toBe(409);
    expect(textOf(locked.text)).toContain("A moderator locked this thread");
    const pending = await createThread(t.db, patient, { title: "A question waiting for review", status: "PENDING" });
    expect((await send(stranger, strangerToken, `/t/${pending.id}/replies`)).status).toBe(404);
  });
});
