// Bad input on every form: each gives a 4xx, re-renders the form with the errors shown and the person's
// text kept, and never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { byId, parseHtml, textContent } from "./helpers/html.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let patient: UserFixture;
let patientAgent: ReturnType<TestApp["agent"]>;
let moderatorAgent: ReturnType<TestApp["agent"]>;
let threadId: number;
let pendingThreadId: number;
let pendingReplyId: number;
let cat: string;

beforeAll(async () => {
  t = await buildTestApp();
  patient = await createUser(t.db, "patient", { pseudonym: "Existing Name", email: "taken@example.test" });
  patientAgent = t.agent();
  await logIn(patientAgent, patient);
  moderatorAgent = t.agent();
  await logIn(moderatorAgent, await createUser(t.db, "moderator"));
  threadId = (await createThread(t.db, patient)).id;
  pendingThreadId = (await createThread(t.db, patient, { status: "PENDING" })).id;
  pendingReplyId = (
    await t.db.reply.create({ data: { threadId, authorId: patient.id, body: "my pending reply", status: "PENDING", path: "x" } })
  ).id;
  cat = String(await categoryId(t.db));
});
afterAll(() => t.close());

const LONG = "x".repeat(20_001);
const KEPT = "Text I typed & must not lose <b>";

interface FormCase {
  name: string;
  page: () => string;
  action: () => string;
  agent: () => ReturnType<TestApp["agent"]>;
  valid: () => Record<string, string>;
  bad: [string, Record<string, string>, string][]; // label, fields to override, expected error text
  keptField: string;
}

const freshAgent = () => t.agent();

const FORMS: FormCase[] = [
  {
    name: "sign up",
    page: () => "/signup",
    action: () => "/signup",
    agent: freshAgent,
    valid: () => ({
      email: `new${Date.now()}@example.test`,
      password: "long enough password",
      pseudonym: KEPT.slice(0, 20).replace(/[&<]/g, ""),
      consent: "yes",
    }),
    keptField: "pseudonym",
    bad: [
      ["empty email", { email: "" }, "Email is required."],
      ["invalid email", { email: "not-an-email" }, "Enter an email address like name@example.com."],
      ["too long email", { email: `${"a".repeat(250)}@example.test` }, "Email must be at most 254 characters."],
      // A registered address gets the same "check your email" page as a new one (tests/signup.test.ts).
      ["no consent", { consent: "" }, "Tick the box to agree that Curbside keeps what you post about your health"],
      ["guessable password", { password: "password12" }, "Choose a stronger password."],
      ["short password", { password: "short" }, "Use at least 10 characters"],
      ["empty pseudonym", { pseudonym: "" }, "Pseudonym is required."],
      ["too long pseudonym", { pseudonym: "p".repeat(41) }, "Pseudonym must be at most 40 characters."],
      ["duplicate pseudonym", { pseudonym: "existing name" }, "That pseudonym is taken."],
      ["doctor pseudonym", { pseudonym: "Dr Who" }, "can't include a title such as Dr"],
      ["physician without licence fields", { isPhysician: "on", fullName: "", licenseNumber: "" }, "Licence number is required."],
    ],
  },
  {
    name: "log in",
    page: () => "/login",
    action: () => "/login",
    agent: freshAgent,
    valid: () => ({ email: "taken@example.test", password: "whatever" }),
    keptField: "email",
    bad: [
      ["empty email", { email: "" }, "Email is required."],
      ["empty password", { password: "" }, "Password is required."],
      ["too long password", { password: LONG.slice(0, 201) }, "Password must be at most 200 characters."],
    ],
  },
  {
    name: "ask",
    page: () => "/ask",
    action: () => "/ask",
    agent: () => patientAgent,
    valid: () => ({ title: "A reasonable question title", body: `${KEPT} and enough words to pass.`, categoryId: cat }),
    keptField: "body",
    bad: [
      ["empty title", { title: "" }, "Title is required."],
      ["short title", { title: "Short" }, "Title needs at least 10 characters."],
      ["too long title", { title: "t".repeat(201) }, "Title must be at most 200 characters."],
      ["empty body", { body: "   " }, "Your question is required."],
      ["too long body", { body: LONG.slice(0, 10_001), title: KEPT }, "Your question must be at most 10,000 characters."],
      ["missing category", { categoryId: "" }, "Choose a category."],
      ["unknown category", { categoryId: "99999" }, "Choose a category from the list."],
    ],
  },
  {
    name: "reply",
    page: () => `/t/${threadId}`,
    action: () => `/t/${threadId}/replies`,
    agent: () => patientAgent,
    valid: () => ({ body: KEPT, parentId: "" }),
    keptField: "body",
    bad: [
      ["empty body", { body: "" }, "Your reply is required."],
      ["too long body", { body: LONG.slice(0, 5_001) }, "Your reply must be at most 5,000 characters."],
      ["bad parent id", { parentId: "abc" }, "Not a valid id."],
      ["unknown parent", { body: KEPT, parentId: "999999" }, "The reply you were answering is no longer available."],
    ],
  },
  {
    name: "edit question",
    page: () => `/t/${pendingThreadId}/edit`,
    action: () => `/t/${pendingThreadId}/edit`,
    agent: () => patientAgent,
    valid: () => ({ title: "An edited question title", body: `${KEPT} edited and long enough.`, categoryId: cat }),
    keptField: "body",
    bad: [
      ["empty title", { title: "" }, "Title is required."],
      ["empty body", { body: "" }, "Your question is required."],
    ],
  },
  {
    name: "edit reply",
    page: () => `/replies/${pendingReplyId}/edit`,
    action: () => `/replies/${pendingReplyId}/edit`,
    agent: () => patientAgent,
    valid: () => ({ body: KEPT }),
    keptField: "body",
    bad: [["too long body", { body: LONG.slice(0, 5_001) }, "Your reply must be at most 5,000 characters."]],
  },
  {
    name: "reject",
    page: () => "/moderation",
    action: () => `/moderation/threads/${pendingThreadId}/reject`,
    agent: () => moderatorAgent,
    valid: () => ({ reason: "Other", note: KEPT }),
    keptField: "note",
    bad: [
      ["empty reason", { reason: "" }, "Choose a reason from the list."],
      ["unknown reason", { reason: "Because" }, "Choose a reason from the list."],
      ["Other without a note", { reason: "Other", note: "" }, "Say what the problem is"],
      ["too long note", { note: LONG.slice(0, 1_001) }, "Note must be at most 1,000 characters."],
    ],
  },
  {
    name: "change password",
    page: () => "/account",
    action: () => "/account/password",
    agent: () => patientAgent,
    valid: () => ({ currentPassword: "wrong but present", newPassword: "a new long password" }),
    keptField: "none",
    bad: [
      ["empty current password", { currentPassword: "" }, "Enter your current password."],
      ["short new password", { newPassword: "short" }, "Use at least 10 characters for your new password."],
      ["too long new password", { newPassword: LONG.slice(0, 201) }, "Password must be at most 200 characters."],
      ["wrong current password", {}, "That password is not correct."],
    ],
  },
  {
    name: "delete account",
    page: () => "/account",
    action: () => "/account/delete",
    agent: () => patientAgent,
    valid: () => ({ password: "wrong but present", confirm: "delete" }),
    keptField: "none",
    bad: [
      ["empty password", { password: "" }, "Enter your password to confirm."],
      ["no confirmation", { confirm: "" }, "Tick the box to confirm"],
      ["wrong password", {}, "That password is not correct."],
    ],
  },
];

function escaped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

describe.each(FORMS)("$name form", (form) => {
  it.each(form.bad)("%s → 4xx, error shown, text kept", async (_label, override, message) => {
    const fields = { ...form.valid(), ...override };
    const res = await submit(form.agent(), form.page(), form.action(), fields);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(textOf(res.text)).toContain(message);
    const kept = fields[form.keptField];
    if (kept && kept.length < 5_000 && form.name !== "log in") expect(res.text).toContain(escaped(kept));
    if (form.name === "log in" && fields.email) expect(res.text).toContain(`value="${fields.email}"`);
    expect(res.text).toMatch(/aria-invalid="true"|role="alert"/);
  });

  it("missing CSRF token → 403 with the form and the text kept", async () => {
    const agent = form.agent();
    await agent.get(form.page());
    const fields = form.valid();
    const res = await agent.post(form.action()).type("form").send(fields);
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain("This form had expired or did not come from this site");
    const kept = fields[form.keptField];
    if (kept && form.name !== "log in" && form.name !== "reject") expect(res.text).toContain(escaped(kept));
  });

  it("wrong CSRF token → 403 and nothing saved", async () => {
    const agent = form.agent();
    const page = await agent.get(form.page());
    const token = csrfFrom(page.text);
    const before = await t.db.thread.count();
    const res = await agent
      .post(form.action())
      .type("form")
      .send({ ...form.valid(), _csrf: `${token.slice(0, -2)}xx` });
    expect(res.status).toBe(403);
    expect(await t.db.thread.count()).toBe(before);
  });
});

describe("text kept exactly", () => {
  it("a re-rendered form gives back every character, leading newline and spaces included", async () => {
    const body = "\n  indented first line\n\n\tand a tab, <b>tags</b> & entities &amp;";
    const res = await submit(patientAgent, "/ask", "/ask", { title: "Short", body, categoryId: cat });
    expect(res.status).toBe(400);
    const doc = parseHtml(res.text);
    const textarea = byId(doc, "body");
    expect(textarea && textContent(textarea)).toBe(body);
    const title = byId(doc, "title");
    expect(title?.attrs?.find((a) => a.name === "value")?.value).toBe("Short");
  });
});

describe("requests from other sites", () => {
  it("a cross-site Origin is refused before anything runs", async () => {
    const res = await submit(patientAgent, "/ask", "/ask", { title: "x" }).then(() =>
      patientAgent
        .post("/ask")
        .set("Origin", "https://evil.example")
        .type("form")
        .send({ title: "Cross-site question title", body: "x".repeat(30), categoryId: cat }),
    );
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain("came from another site");
  });

  it("Sec-Fetch-Site: cross-site is refused, even with a valid token", async () => {
    // With the right token, so that only the header can be what refuses it.
    const token = csrfFrom((await patientAgent.get("/account")).text);
    const res = await patientAgent.post("/logout").set("Sec-Fetch-Site", "cross-site").type("form").send({ _csrf: token });
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain("came from another site");
    expect((await patientAgent.get("/account")).status).toBe(200); // still signed in
  });

  it("the site's own Origin is accepted", async () => {
    const page = await patientAgent.get("/ask");
    const res = await patientAgent
      .post("/ask")
      .set("Origin", "http://localhost:3000")
      .set("Sec-Fetch-Site", "same-origin")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), title: "Same-origin question title", body: "Long enough body for a question.", categoryId: cat });
    expect(res.status).toBe(303);
  });
});

describe("oversize and malformed requests", () => {
  it("an oversize body gets a 413 page", async () => {
    const res = await patientAgent
      .post("/ask")
      .type("form")
      .send({ body: "y".repeat(70_000) });
    expect(res.status).toBe(413);
    expect(textOf(res.text)).toContain("more text than Curbside accepts");
  });

  it("a JSON body where a form is expected is not a 500", async () => {
    const res = await patientAgent.post("/ask").set("Content-Type", "application/json").send('{"title":');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it("bad page numbers get a clear 400", async () => {
    for (const q of ["page=0", "page=-1", "page=abc", "page=1e9"]) {
      const res = await t.http().get(`/c/support?${q}`);
      expect(res.status).toBe(400);
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it("a page past the end is an empty page, not an error", async () => {
    const res = await t.http().get(`/t/${threadId}?page=50`);
    expect(res.status).toBe(200);
  });

  it("keeps text when signed out while writing", async () => {
    const agent = t.agent();
    const page = await agent.get("/login");
    const res = await agent
      .post("/ask")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), title: "Signed out question", body: KEPT, categoryId: cat, _reviewed: "as-written" });
    // Asked to join, with the question carried along (tests/signup.test.ts follows it into the queue).
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Your question is kept.");
    expect(res.text).toContain(escaped(KEPT));
  });
});
