// Hostile input on every form field: every string of the Big List of Naughty Strings and a set of XSS
// payloads. No response is a 5xx, no payload becomes live markup, and accepted text is stored and shown
// back exactly as typed.
import { createRequire } from "node:module";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutInvisible } from "../src/lib/text.ts";
import { APPLICATION_REJECTION_REASONS } from "../src/moderation/schemas.ts";
import { DEFAULT_SETTINGS } from "../src/settings/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { attr, byId, elements, type HtmlNode, injectedMarkup, parseHtml, textContent } from "./helpers/html.ts";
import { csrfFrom, logIn } from "./helpers/http.ts";

const naughty: string[] = createRequire(import.meta.url)("big-list-of-naughty-strings");

const XSS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<svg/onload=alert(1)>",
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '" autofocus onfocus="alert(1)" x="',
  "' onmouseover='alert(1)' x='",
  "</textarea><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  "javascript:alert(1)",
  "[click me](javascript:alert(1))",
  "[click me](JaVaScRiPt:alert(1))",
  "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  '[x](https://example.org" onclick="alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  "![x](javascript:alert(1))",
  "<iframe src=https://evil.example></iframe>",
  "<style>body{display:none}</style>",
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  "{{constructor.constructor('alert(1)')()}}",
  "{{{body}}}",
  "{{> layout}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, on purpose.
  "${alert(1)}",
  "#{alert(1)}",
  "<%= 7*7 %>",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#x3C;script&#x3E;alert(1)",
  "<!--",
  "]]><script>alert(1)</script>",
  "<base href=https://evil.example/>",
];

const PAYLOADS = [...naughty, ...XSS];

/** urlencodes like a browser, including strings that are not well-formed UTF-16. */
function encodeForm(fields: Record<string, string>): string {
  const encode = (s: string) =>
    Array.from(new TextEncoder().encode(s), (b) =>
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2d ||
      b === 0x2e ||
      b === 0x5f ||
      b === 0x7e
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
    ).join("");
  return Object.entries(fields)
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join("&");
}

/** What a browser shows for the typed text: HTML parsing turns CR LF and lone CR into LF. */
const asShown = (s: string) => s.toWellFormed().replace(/\r\n?/g, "\n");

let t: TestApp;
let patient: UserFixture;
let agent: ReturnType<TestApp["agent"]>;
let moderator: ReturnType<TestApp["agent"]>;
let token: string;
let modToken: string;
let adminAgent: ReturnType<TestApp["agent"]>;
let applicationId: number;
let physicianId: string;
let adminToken: string;
let threadId: number;
let pendingThreadId: number;
let reverseThreadId: number;
let pendingReplyId: number;
let cat: string;
let physicianAgent: ReturnType<TestApp["agent"]>;
let physicianToken: string;
let articleId: number;
let answerId: number;

beforeAll(async () => {
  // Sign-in throttling would answer most of the payloads with 429 before they reach the form.
  t = await buildTestApp({}, { loginLimits: { perPair: 1_000_000, perIp: 1_000_000, slowAfterAddresses: 1_000_000, windowMs: 60_000 } });
  // Likewise the hourly posting limits: every accepted payload is a new question or reply by one member.
  await t.db.siteSettings.upsert({
    where: { id: 1 },
    update: { questionsPerHour: 1_000_000, repliesPerHour: 1_000_000 },
    create: { ...DEFAULT_SETTINGS, questionsPerHour: 1_000_000, repliesPerHour: 1_000_000 },
  });
  patient = await createUser(t.db, "patient");
  agent = t.agent();
  await logIn(agent, patient);
  token = csrfFrom((await agent.get("/ask")).text);
  moderator = t.agent();
  await logIn(moderator, await createUser(t.db, "moderator"));
  modToken = csrfFrom((await moderator.get("/moderation")).text);
  applicationId = (await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: (await createUser(t.db, "unverifiedPhysician")).id } }))
    .id;
  physicianId = (await createUser(t.db, "physician")).id;
  adminAgent = t.agent();
  await logIn(adminAgent, await createUser(t.db, "admin"));
  adminToken = csrfFrom((await adminAgent.get("/admin/settings")).text);
  threadId = (await createThread(t.db, patient)).id;
  pendingThreadId = (await createThread(t.db, patient, { status: "PENDING" })).id;
  reverseThreadId = (await createThread(t.db, patient, { status: "REJECTED" })).id;
  pendingReplyId = (await t.db.reply.create({ data: { threadId, authorId: patient.id, body: "pending", status: "PENDING", path: "p" } }))
    .id;
  cat = String(await categoryId(t.db));
  const writer = await createUser(t.db, "physician");
  physicianAgent = t.agent();
  await logIn(physicianAgent, writer);
  physicianToken = csrfFrom((await physicianAgent.get("/articles/new")).text);
  articleId = (await createThread(t.db, writer, { kind: "ARTICLE" })).id;
  answerId = (await t.db.reply.create({ data: { threadId, authorId: physicianId, body: "An answer.", status: "APPROVED", path: "a" } })).id;
});
afterAll(() => t.close());

type Sender = ReturnType<TestApp["agent"]>;

async function send(who: Sender, csrf: string, action: string, fields: Record<string, string>) {
  const res = await who
    .post(action)
    .set("Content-Type", "application/x-www-form-urlencoded")
    .send(encodeForm({ _csrf: csrf, ...fields }));
  expect(res.status, `${action} answered ${res.status}`).toBeLessThan(500);
  expect(res.status, "rate-limited: the payload was not exercised").not.toBe(429);
  if (res.headers["content-type"]?.includes("text/html")) {
    expect(injectedMarkup(res.text), `${action} with ${JSON.stringify(fields).slice(0, 120)}`).toEqual([]);
  }
  return res;
}

// Accounts (#23): a signed-out reader with a token of their own, for the public account forms.
let reader: Sender;
let readerToken: string;
beforeAll(async () => {
  reader = t.agent();
  readerToken = csrfFrom((await reader.get("/login")).text);
});
const ACCOUNT_PASSES = (): typeof PASSES => [
  {
    form: "sign up (consent, next, held question)",
    who: () => [reader, readerToken],
    action: () => "/signup",
    fields: (p) => ({
      email: p,
      password: p,
      pseudonym: p,
      consent: p,
      next: p,
      draftTitle: p,
      draftBody: p,
      draftCategoryId: p,
      draftTo: p,
    }),
  },
  { form: "confirm a sign-up", who: () => [reader, readerToken], action: () => "/signup/confirm", fields: (p) => ({ token: p }) },
  { form: "forgot password", who: () => [reader, readerToken], action: () => "/login/forgot", fields: (p) => ({ email: p }) },
  { form: "reset password", who: () => [reader, readerToken], action: () => "/login/reset", fields: (p) => ({ token: p, password: p }) },
  {
    form: "two-factor code at sign-in",
    who: () => [reader, readerToken],
    action: () => "/login/two-factor",
    fields: (p) => ({ code: p, next: p }),
  },
  { form: "set up two-factor", who: () => [agent, token], action: () => "/account/two-factor", fields: (p) => ({ code: p }) },
  { form: "turn two-factor off", who: () => [agent, token], action: () => "/account/two-factor/disable", fields: (p) => ({ password: p }) },
  {
    form: "confirm it's you",
    who: () => [agent, token],
    action: () => "/account/confirm",
    fields: (p) => ({ password: p, code: p, next: p }),
  },
  { form: "confirm a new email", who: () => [agent, token], action: () => "/account/email/confirm", fields: (p) => ({ token: p }) },
  {
    form: "staff two-factor setting",
    who: () => [adminAgent, adminToken],
    action: () => "/admin/settings/two-factor",
    fields: (p) => ({ staffTwoFactor: p }),
  },
];

// Each pass puts the payload in the named fields; the other fields hold valid values.
const PASSES: { form: string; who: () => [Sender, string]; action: () => string; fields: (p: string) => Record<string, string> }[] = [
  {
    form: "sign up (every field)",
    who: () => [t.agent(), ""],
    action: () => "/signup",
    fields: (p) => ({
      email: p,
      password: p,
      pseudonym: p,
      isPhysician: "on",
      fullName: p,
      credentials: p,
      specialty: p,
      licenseNumber: p,
      jurisdiction: p,
    }),
  },
  {
    form: "sign in (every field)",
    who: () => [t.agent(), ""],
    action: () => "/login",
    fields: (p) => ({ email: p, password: p, next: p }),
  },
  {
    form: "ask (every field)",
    who: () => [agent, token],
    action: () => "/ask",
    fields: (p) => ({ title: p, body: p, categoryId: p, _submission: p, to: p }),
  },
  {
    form: "reply (every field)",
    who: () => [agent, token],
    action: () => `/t/${threadId}/replies`,
    fields: (p) => ({ body: p, parentId: p, _submission: p }),
  },
  {
    form: "edit question (every field)",
    who: () => [agent, token],
    action: () => `/t/${pendingThreadId}/edit`,
    fields: (p) => ({ title: p, body: p, categoryId: p }),
  },
  { form: "edit reply", who: () => [agent, token], action: () => `/replies/${pendingReplyId}/edit`, fields: (p) => ({ body: p }) },
  {
    form: "reject (every field)",
    who: () => [moderator, modToken],
    action: () => `/moderation/threads/${pendingThreadId}/reject`,
    fields: (p) => ({ reason: p, note: p }),
  },
  {
    form: "bulk decision",
    who: () => [moderator, modToken],
    action: () => "/moderation/bulk",
    fields: (p) => ({ items: p, decision: p, reason: p, note: p }),
  },
  {
    form: "request changes",
    who: () => [moderator, modToken],
    action: () => `/moderation/threads/${pendingThreadId}/request-changes`,
    fields: (p) => ({ note: p }),
  },
  {
    form: "reverse a decision",
    who: () => [moderator, modToken],
    action: () => `/moderation/threads/${reverseThreadId}/reverse`,
    fields: (p) => ({ note: p, entry: p }),
  },
  {
    form: "suspend a member",
    who: () => [moderator, modToken],
    action: () => `/moderation/users/${patient.id}/restrict`,
    fields: (p) => ({ action: p, days: p, message: p }),
  },
  {
    form: "withdraw a question",
    who: () => [agent, token],
    action: () => `/t/${pendingThreadId}/withdraw`,
    fields: (p) => ({ confirm: p }),
  },
  {
    form: "report a post",
    who: () => [moderator, modToken],
    action: () => `/t/${threadId}/report`,
    fields: (p) => ({ reason: p, note: p }),
  },
  { form: "change pseudonym", who: () => [agent, token], action: () => "/account/pseudonym", fields: (p) => ({ pseudonym: p }) },
  { form: "change email", who: () => [agent, token], action: () => "/account/email", fields: (p) => ({ email: p, password: p }) },
  {
    form: "change password",
    who: () => [agent, token],
    action: () => "/account/password",
    fields: (p) => ({ currentPassword: p, newPassword: p }),
  },
  { form: "delete account", who: () => [agent, token], action: () => "/account/delete", fields: (p) => ({ password: p, confirm: p }) },
  { form: "follow a thread", who: () => [agent, token], action: () => `/t/${threadId}/follow`, fields: (p) => ({ follow: p }) },
  {
    form: "write an article (every field)",
    who: () => [physicianAgent, physicianToken],
    action: () => "/articles/new",
    fields: (p) => ({ title: p, body: p, categoryId: p, tags: p, references: p, _submission: p }),
  },
  {
    form: "write an article (tags and references, the rest valid)",
    who: () => [physicianAgent, physicianToken],
    action: () => "/articles/new",
    fields: (p) => ({
      title: "A valid title for an article",
      body: "A valid article body. ".repeat(12),
      categoryId: cat,
      tags: p,
      references: `PMID: 31234567 ${p}\n${p}`,
    }),
  },
  {
    form: "edit an article (every field)",
    who: () => [physicianAgent, physicianToken],
    action: () => `/articles/${articleId}/edit`,
    fields: (p) => ({ title: p, body: p, categoryId: p, tags: p, references: p }),
  },
  {
    form: "a physician's answer with references",
    who: () => [physicianAgent, physicianToken],
    action: () => `/t/${threadId}/replies`,
    fields: (p) => ({ body: "An answer with references.", parentId: "", references: p }),
  },
  {
    form: "public profile (every field)",
    who: () => [physicianAgent, physicianToken],
    action: () => "/account/profile",
    fields: (p) => ({ bio: p, disclosures: p }),
  },
  { form: "agree", who: () => [physicianAgent, physicianToken], action: () => `/replies/${answerId}/agree`, fields: (p) => ({ on: p }) },
  { form: "helpful", who: () => [agent, token], action: () => `/replies/${answerId}/helpful`, fields: (p) => ({ on: p }) },
  { form: "answered my question", who: () => [agent, token], action: () => `/replies/${answerId}/accept`, fields: (p) => ({ on: p }) },
  {
    form: "mail about new questions",
    who: () => [agent, token],
    action: () => "/account/mail",
    fields: (p) => ({ questionMail: p, categoryIds: p }),
  },
  {
    form: "verify a physician (every field)",
    who: () => [moderator, modToken],
    action: () => `/moderation/applications/${applicationId}/approve`,
    fields: (p) => ({ registryName: p, registryReference: p, checkedOn: p, reverifyBy: p }),
  },
  {
    form: "revoke a verification",
    who: () => [moderator, modToken],
    action: () => `/moderation/users/${physicianId}/revoke`,
    fields: (p) => ({ reason: p }),
  },
  {
    form: "edit before approving (every field)",
    who: () => [moderator, modToken],
    action: () => `/moderation/threads/${pendingThreadId}/redact`,
    fields: (p) => ({ title: p, body: p, note: p }),
  },
  {
    form: "moderation settings (every field)",
    who: () => [adminAgent, adminToken],
    action: () => "/admin/settings",
    fields: (p) => ({
      holdMode: p,
      trustAfterApproved: p,
      holdLinksAt: p,
      watchedHold: p,
      watchedBlock: p,
      newAccountQuestions: p,
      newAccountReplies: p,
      questionsPerHour: p,
      repliesPerHour: p,
      rejectionReasons: p,
      flagThreshold: p,
      flagAction: p,
    }),
  },
  // Accounts (#23): sign-up's other fields, the mailed links' forms, two-factor, "confirm it's you".
  ...ACCOUNT_PASSES(),
];

describe.each(PASSES)("$form", (pass) => {
  it(`survives all ${PAYLOADS.length} payloads`, async () => {
    for (const payload of PAYLOADS) {
      const [who, csrf] = pass.who();
      // Sign-up and sign-in use fresh browsers: fetch their form for a token.
      const token = csrf || csrfFrom((await who.get(pass.action())).text);
      await send(who, token, pass.action(), pass.fields(payload));
    }
    // Password forms estimate each payload's strength with zxcvbn (up to about a second each on a busy machine).
  }, 600_000);
});

describe("accepted text is stored and shown back exactly as typed", () => {
  it("question titles", async () => {
    let accepted = 0;
    for (const payload of PAYLOADS) {
      const res = await send(agent, token, "/ask", { title: payload, body: "A body that is long enough to be accepted.", categoryId: cat });
      if (res.status !== 303) continue;
      accepted++;
      const id = Number(String(res.headers.location).split("/")[2]);
      const row = await t.db.thread.findUniqueOrThrow({ where: { id } });
      // Stored as typed, but for invisible format characters, which titles never keep (issue #20: bidi controls).
      expect(row.title).toBe(withoutInvisible(payload.toWellFormed()));
      const page = await agent.get(`/t/${id}`);
      const h1 = byId(parseHtml(page.text), "thread-title");
      expect(h1 && textContent(h1)).toBe(asShown(withoutInvisible(payload)));
      expect(injectedMarkup(page.text)).toEqual([]);
    }
    expect(accepted).toBeGreaterThan(300);
  }, 120_000);

  it("citations in a physician's references, shown in the numbered list", async () => {
    let accepted = 0;
    const answers = await createThread(t.db, patient);
    for (const payload of PAYLOADS) {
      const res = await send(physicianAgent, physicianToken, `/t/${answers.id}/replies`, {
        body: "An answer that cites a study.",
        parentId: "",
        references: `PMID: 31234567 ${payload}`,
      });
      if (res.status !== 303) continue;
      accepted++;
      const id = Number(String(res.headers.location).split("#reply-")[1]);
      const page = await physicianAgent.get(String(res.headers.location));
      expect(injectedMarkup(page.text)).toEqual([]);
      const item = [...elements(byId(parseHtml(page.text), `reply-${id}`) as HtmlNode)].find(
        (el) => el.tagName === "span" && attr(el, "class") === "reference-text",
      );
      // One line of citation: stored without the separator people type after the identifier.
      if (/[\r\n\u2028\u2029]/.test(payload)) continue;
      const citation = payload
        .replace(/^[-–—:.,;\s]+/, "")
        .trim()
        .toWellFormed();
      if (citation) expect(item && textContent(item), JSON.stringify(payload)).toBe(citation);
      else expect(item).toBeUndefined();
    }
    expect(accepted).toBeGreaterThan(100);
  }, 120_000);

  it("replies, in the thread and back in the edit form", async () => {
    let accepted = 0;
    for (const payload of PAYLOADS) {
      const res = await send(agent, token, `/t/${threadId}/replies`, { body: payload, parentId: "" });
      if (res.status !== 303) continue;
      accepted++;
      const id = Number(String(res.headers.location).split("#reply-")[1]);
      expect((await t.db.reply.findUniqueOrThrow({ where: { id } })).body).toBe(payload.toWellFormed());
      const edit = await agent.get(`/replies/${id}/edit`);
      const textarea = byId(parseHtml(edit.text), "body");
      expect(textarea && textContent(textarea)).toBe(asShown(payload));
      expect(injectedMarkup(edit.text)).toEqual([]);
    }
    const thread = await agent.get(`/t/${threadId}`);
    expect(injectedMarkup(thread.text)).toEqual([]);
    expect(accepted).toBeGreaterThan(300);
  }, 120_000);
});

// One field at a time (issue #27): the payload goes in one field while the others hold valid values, so the form
// is accepted, or comes back for that field's own reason with the typed text kept. A representative set, not the
// whole list: the "every field" passes above already send every payload to every form.
const REPRESENTATIVE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)' x='",
  "javascript:alert(1)",
  "[click me](javascript:alert(1))",
  "&lt;b&gt; &amp;amp; &#x3C;script&#x3E;",
  "\u202eevil\u202c text with bidi controls \u2066x\u2069",
  '\'; DROP TABLE "User"; -- OR 1=1',
  "null\u0000byte",
  "{{constructor.constructor('alert(1)')()}} {{{body}}} {{> layout}}",
  "</textarea></script></title><!-- ]]>",
  "lone \ud800 surrogate",
  "Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤ zalgo",
  "ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ 😀 日本語 مرحبا",
  "",
  "   \t\r\n  ",
  "-1",
  "1e308",
  "x".repeat(20_000),
];

let unique = 0;
const n = () => `${Date.now().toString(36)}${++unique}`;

interface FieldPass {
  form: string;
  who: () => [Sender, string];
  /** The address to post to; made fresh for each payload where a decision can be taken only once. */
  action: () => Promise<string>;
  valid: () => Record<string, string>;
  fields: string[];
  /** Fields whose typed text a re-rendered form shows back. */
  text: string[];
  /** The status of a form that went through: a redirect, or the reporting form's thank-you page. */
  accepted?: number;
}

const approvedReply = async () => (await createReply(t.db, patient, threadId)).id;
const pendingThread = async () => (await createThread(t.db, patient, { status: "PENDING" })).id;

const FIELD_PASSES: FieldPass[] = [
  {
    form: "ask",
    who: () => [agent, token],
    action: async () => "/ask",
    valid: () => ({ title: `A valid question title ${n()}`, body: `A body that is long enough to be accepted ${n()}.`, categoryId: cat }),
    fields: ["title", "body", "categoryId", "to"],
    text: ["title", "body"],
  },
  {
    form: "reply",
    who: () => [agent, token],
    action: async () => `/t/${threadId}/replies`,
    valid: () => ({ body: `A valid reply ${n()}`, parentId: "" }),
    fields: ["body", "parentId"],
    text: ["body"],
  },
  {
    form: "edit question",
    who: () => [agent, token],
    action: async () => `/t/${pendingThreadId}/edit`,
    valid: () => ({ title: `An edited question title ${n()}`, body: `An edited body, long enough ${n()}.`, categoryId: cat }),
    fields: ["title", "body", "categoryId"],
    text: ["title", "body"],
  },
  {
    form: "write an article",
    who: () => [physicianAgent, physicianToken],
    action: async () => "/articles/new",
    valid: () => ({
      title: `A valid article title ${n()}`,
      body: `A valid article body ${n()}. `.repeat(12),
      categoryId: cat,
      tags: "immunology",
      references: "PMID: 31234567",
    }),
    fields: ["title", "body", "categoryId", "tags", "references"],
    text: ["title", "body", "tags", "references"],
  },
  {
    form: "public profile",
    who: () => [physicianAgent, physicianToken],
    action: async () => "/account/profile",
    valid: () => ({ bio: `A valid bio ${n()}`, disclosures: "None." }),
    fields: ["bio", "disclosures"],
    text: ["bio", "disclosures"],
  },
  {
    form: "change pseudonym",
    who: () => [agent, token],
    action: async () => "/account/pseudonym",
    valid: () => ({ pseudonym: `Valid Name ${n()}` }),
    fields: ["pseudonym"],
    text: ["pseudonym"],
  },
  {
    form: "reject a question",
    who: () => [moderator, modToken],
    action: async () => `/moderation/threads/${await pendingThread()}/reject`,
    valid: () => ({ reason: DEFAULT_SETTINGS.rejectionReasons[0] as string, note: "A valid note." }),
    fields: ["reason", "note"],
    text: ["note"],
  },
  {
    form: "request changes",
    who: () => [moderator, modToken],
    action: async () => `/moderation/threads/${await pendingThread()}/request-changes`,
    valid: () => ({ note: "Please remove the clinic's name." }),
    fields: ["note"],
    text: ["note"],
  },
  {
    form: "hide",
    who: () => [moderator, modToken],
    // A reported reply: the queue shows the hide form, and the typed note again, only for reported posts.
    action: async () => {
      const id = await approvedReply();
      await t.db.flag.create({ data: { reporterId: physicianId, replyId: id, reason: "SPAM" } });
      return `/moderation/replies/${id}/hide`;
    },
    valid: () => ({ reason: DEFAULT_SETTINGS.rejectionReasons[0] as string, note: "A valid note." }),
    fields: ["reason", "note"],
    text: ["note"],
  },
  {
    form: "reject an application",
    who: () => [moderator, modToken],
    action: async () => {
      const applicant = await createUser(t.db, "unverifiedPhysician");
      const profile = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: applicant.id } });
      return `/moderation/applications/${profile.id}/reject`;
    },
    valid: () => ({ reason: APPLICATION_REJECTION_REASONS[0], note: "A valid note." }),
    fields: ["reason", "note"],
    text: ["note"],
  },
  {
    form: "reject an edit",
    who: () => [moderator, modToken],
    action: async () => {
      const edit = await t.db.postRevision.create({
        data: { threadId, editorId: patient.id, title: `An edited title ${n()}`, body: "An edited body.", status: "PENDING" },
      });
      return `/moderation/edits/${edit.id}/reject`;
    },
    valid: () => ({ reason: DEFAULT_SETTINGS.rejectionReasons[0] as string, note: "A valid note." }),
    fields: ["reason", "note"],
    text: ["note"],
  },
  {
    form: "redact a reply",
    who: () => [moderator, modToken],
    action: async () => `/moderation/replies/${(await createReply(t.db, patient, threadId, { status: "PENDING" })).id}/redact`,
    valid: () => ({ body: `A redacted reply ${n()}`, note: "Removed a name." }),
    fields: ["body", "note"],
    text: ["body", "note"],
  },
  {
    form: "report a reply",
    who: () => [agent, token],
    // Someone else's reply: members do not report their own.
    action: async () => `/replies/${(await createReply(t.db, { id: physicianId } as UserFixture, threadId)).id}/report`,
    valid: () => ({ reason: "OTHER", note: "A valid note." }),
    fields: ["reason", "note"],
    text: ["note"],
    accepted: 200,
  },
  {
    form: "suspend a member",
    who: () => [moderator, modToken],
    action: async () => `/moderation/users/${(await createUser(t.db, "patient")).id}/restrict`,
    valid: () => ({ action: "suspend", days: "3", message: "A valid message." }),
    fields: ["action", "days", "message"],
    text: ["message"],
  },
];

/** What a parsed page shows for typed text: HTML parsing turns CR LF into LF and NUL into U+FFFD. */
const asParsed = (s: string) => asShown(s).replace(/\u0000/g, "\ufffd");

describe.each(FIELD_PASSES)("$form, one field at a time", (pass) => {
  it.each(pass.fields)(
    "%s",
    async (field) => {
      let accepted = 0;
      for (const payload of REPRESENTATIVE) {
        const [who, csrf] = pass.who();
        const action = await pass.action();
        const res = await send(who, csrf, action, { ...pass.valid(), [field]: payload });
        if (res.status === (pass.accepted ?? 303)) {
          accepted++;
          continue;
        }
        if (!res.headers["content-type"]?.includes("text/html")) continue;
        // A page with many forms (the queue) shows the typed text in the form that was sent.
        const page = parseHtml(res.text);
        const form = [...elements(page)].find((el) => el.tagName === "form" && attr(el, "action") === action);
        const controls = [...elements(form ?? page)].filter((el) => ["input", "textarea", "select"].includes(el.tagName ?? ""));
        // The other fields were valid: none of them may be blamed.
        const blamed = controls.filter((el) => attr(el, "aria-invalid") === "true").map((el) => attr(el, "name"));
        for (const name of blamed) expect([field, undefined], `${pass.form}: ${name} blamed for ${field}`).toContain(name);
        // The typed text comes back in its own control (when the page shows that control at all).
        if (!pass.text.includes(field)) continue;
        const control = controls.find((el) => attr(el, "name") === field && attr(el, "type") !== "hidden");
        if (!control) continue;
        const shown = control.tagName === "textarea" ? textContent(control) : (attr(control, "value") ?? "");
        expect(shown, `${pass.form}: ${field} kept`).toBe(asParsed(payload));
      }
      // Some payload of the set is ordinary enough to go through, or the pass tests nothing but refusals.
      if (pass.text.includes(field)) expect(accepted, `${pass.form}: ${field} accepted something`).toBeGreaterThan(0);
    },
    300_000,
  );
});

// Stored text wherever it is shown (issue #27): each page is parsed as a browser would, the typed text must be there
// as text, and nothing of it may be markup. JSON-LD must still be one JSON value, and feeds well-formed XML.
const SHOWN = `Zq9 </script><script>alert(1)</script> <img src=x onerror=alert(1)> "><svg onload=alert(1)> {{constructor.constructor('alert(1)')()}} ]]><!-- &lt;b&gt;`;
const TITLE = `Zq9 </script><script>alert(1)</script> <img src=x onerror=alert(1)> {{x}} &lt;b&gt;`;

/** The text a reader sees: text nodes outside scripts and styles, whitespace folded. */
function visibleText(node: HtmlNode): string {
  if (node.tagName === "script" || node.tagName === "style") return "";
  if (node.nodeName === "#text") return node.value ?? "";
  return (node.childNodes ?? []).map(visibleText).join("");
}
const folded = (s: string) => s.replace(/\s+/g, " ");

/** The page, or the element `id` in it, shows `text` as text, and the page has no injected markup. */
function showsAsText(res: { status: number; text: string }, text: string, where: string, id?: string) {
  expect(res.status, where).toBeLessThan(400);
  expect(injectedMarkup(res.text), where).toEqual([]);
  const root = parseHtml(res.text);
  const scope = id ? byId(root, id) : root;
  expect(scope, `${where}: #${id}`).toBeDefined();
  expect(folded(visibleText(scope as HtmlNode)), where).toContain(folded(text));
}

/** Every string value in a parsed JSON or XML document. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

describe("stored text is text wherever it is shown", () => {
  it("a reply on the later page of its thread, for readers and for its author", async () => {
    const thread = await createThread(t.db, patient);
    // More first-level replies than one page holds, so the new one lands on a later page.
    for (let i = 0; i < 25; i++) await createReply(t.db, patient, thread.id);
    const res = await send(physicianAgent, physicianToken, `/t/${thread.id}/replies`, { body: SHOWN, parentId: "" });
    expect(res.status).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/\?page=[2-9]/);
    const id = location.split("#reply-")[1];
    for (const [who, viewer] of [
      ["reader", t.http()],
      ["author", physicianAgent],
    ] as const) {
      showsAsText(await viewer.get(location.split("#")[0] as string), SHOWN, `${who} on ${location}`, `reply-${id}`);
    }
  });

  it("titles, bodies and pseudonyms on thread pages, in JSON-LD and in the feeds; bios and articles", async () => {
    const member = await createUser(t.db, "patient", { pseudonym: `Zq9 <img src=x onerror=alert(1)> ${n()}` });
    const thread = await createThread(t.db, member, { title: TITLE, body: SHOWN });
    await createReply(t.db, { id: physicianId } as UserFixture, thread.id, { body: "An answer." });
    await t.db.thread.update({ where: { id: thread.id }, data: { answeredAt: new Date() } });
    const page = await t.http().get(`/t/${thread.id}`).redirects(1);
    showsAsText(page, SHOWN, "question body");
    showsAsText(page, member.pseudonym, "pseudonym on the thread page");
    expect(textContent(byId(parseHtml(page.text), "thread-title") as HtmlNode)).toBe(TITLE);
    // JSON-LD: one JSON value that holds the title as typed (a "</script>" in it did not end the script).
    const jsonLd = [...elements(parseHtml(page.text))].filter((el) => attr(el, "type") === "application/ld+json");
    expect(jsonLd.length).toBeGreaterThan(0);
    expect(jsonLd.flatMap((el) => strings(JSON.parse(textContent(el))))).toContain(TITLE);
    // The feed: well-formed XML whose parsed text holds the title as typed.
    const feed = await t.http().get("/feeds/answered.atom");
    expect(feed.status).toBe(200);
    expect(XMLValidator.validate(feed.text)).toBe(true);
    expect(strings(new XMLParser({ ignoreAttributes: false }).parse(feed.text))).toContain(TITLE);

    // A bio on the physician's public page.
    expect((await send(physicianAgent, physicianToken, "/account/profile", { bio: SHOWN, disclosures: "" })).status).toBe(303);
    const { handle } = await t.db.physicianProfile.findFirstOrThrow({ where: { bio: SHOWN } });
    showsAsText(await t.http().get(`/physicians/${handle}`), SHOWN, "bio");

    // An article, title and body.
    const article = await send(physicianAgent, physicianToken, "/articles/new", {
      title: TITLE,
      body: `${SHOWN}\n\n${"More of the article. ".repeat(10)}`,
      categoryId: cat,
      tags: "",
      references: "",
    });
    expect(article.status).toBe(303);
    const articlePage = await t.http().get(String(article.headers.location));
    showsAsText(articlePage, SHOWN, "article body");
    showsAsText(articlePage, TITLE, "article title");
  });

  it("the queue, report notes, moderators' notes and suspension messages", async () => {
    // A question in the queue. Urgent, so that it is among the first the queue shows: this file leaves hundreds
    // of accepted payloads waiting before it.
    const pending = await createThread(t.db, patient, { title: TITLE, body: SHOWN, status: "PENDING" });
    await t.db.thread.update({ where: { id: pending.id }, data: { urgent: true } });
    showsAsText(await moderator.get("/moderation"), SHOWN, "a pending question in the queue");
    // A report's note, in the queue.
    const reported = await createReply(t.db, { id: physicianId } as UserFixture, threadId, { body: "A reported answer." });
    expect((await send(agent, token, `/replies/${reported.id}/report`, { reason: "OTHER", note: SHOWN })).status).toBe(200);
    showsAsText(await moderator.get("/moderation"), SHOWN, "a report's note in the queue");
    // A moderator's note, shown to the author.
    const reason = DEFAULT_SETTINGS.rejectionReasons[0] as string;
    expect((await send(moderator, modToken, `/moderation/threads/${pending.id}/reject`, { reason, note: SHOWN })).status).toBe(303);
    showsAsText(await agent.get(`/t/${pending.id}`).redirects(1), SHOWN, "a rejection note to the author");
    // A suspension message, shown when the member tries to post.
    const member = await createUser(t.db, "patient");
    const memberAgent = t.agent();
    await logIn(memberAgent, member);
    const memberToken = csrfFrom((await memberAgent.get("/account")).text);
    const restrict = { action: "suspend", days: "3", message: SHOWN };
    expect((await send(moderator, modToken, `/moderation/users/${member.id}/restrict`, restrict)).status).toBe(303);
    const refused = await memberAgent
      .post(`/t/${threadId}/replies`)
      .type("form")
      .send({ _csrf: memberToken, body: "A reply while suspended.", parentId: "" });
    expect(refused.status).toBe(403);
    expect(injectedMarkup(refused.text)).toEqual([]);
    expect(folded(visibleText(parseHtml(refused.text)))).toContain(folded(SHOWN));
  });
});
