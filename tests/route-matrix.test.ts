// The route table drives these checks: every route Fastify knows must have an entry in the authorization
// matrix (who × route → outcome), and every non-GET route must refuse a missing or wrong CSRF token and a
// cross-site Origin or Sec-Fetch-Site.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupPath } from "../src/admin/setup-links.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createReply, createThread, createUser, PASSWORD, type Persona, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn } from "./helpers/http.ts";
import { DEFAULT_SETTINGS_FORM } from "./helpers/settings.ts";
import { setupLinkFor } from "./helpers/setup-links.ts";
import { changedTables, tableDigests } from "./helpers/snapshot.ts";

// "suspended" is a suspended patient and "suspendedPhysician" a suspended verified physician; each is the
// owner of the content the routes act on, so that their own posts, articles and questions are tried.
type Who = "reader" | "owner" | "suspended" | "suspendedPhysician" | Persona;
const WHO: Who[] = [
  "reader",
  "owner",
  "suspended",
  "suspendedPhysician",
  "patient",
  "unverifiedPhysician",
  "physician",
  "moderator",
  "admin",
];
const SUSPENDED: Who[] = ["suspended", "suspendedPhysician"];

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

interface Cell {
  who: Who;
  agent: ReturnType<TestApp["agent"]>;
  token: string;
  user: UserFixture | null;
  owner: UserFixture;
}

/** A fresh person of the given kind, signed in, and a fresh owner whose content the routes act on. */
async function cell(who: Who): Promise<Cell> {
  const suspended = SUSPENDED.includes(who);
  const owner = await createUser(t.db, who === "suspendedPhysician" ? "physician" : "patient");
  const agent = t.agent();
  let user: UserFixture | null = null;
  if (who === "owner" || suspended) user = owner;
  else if (who !== "reader" && who !== "suspended" && who !== "suspendedPhysician") user = await createUser(t.db, who);
  if (suspended)
    await t.db.user.update({
      where: { id: owner.id },
      data: { suspendedUntil: new Date(Date.now() + 7 * 86_400_000), restrictionMessage: "Matrix suspension" },
    });
  if (user) await logIn(agent, user);
  const page = await agent.get(user ? "/account" : "/login");
  return { who, agent, token: csrfFrom(page.text), user, owner };
}

interface Route {
  /** Builds the request for this cell: the path, and the form fields for a non-GET route. */
  request(c: Cell): Promise<{ path: string; fields?: Record<string, string> }>;
  expect: Record<Who, number | string>;
}

const everyone = (status: number | string) => Object.fromEntries(WHO.map((w) => [w, status])) as Record<Who, number | string>;
const signedIn = (status: number | string, reader: number | string) => ({ ...everyone(status), reader });
const staffOnly = (allowed: number | string, reader: number | string) => ({
  ...everyone(403),
  reader,
  moderator: allowed,
  admin: allowed,
});
// The suspended identities own the cell's content, so they reach what an owner reaches (and writes refuse them).
const ownerOnly = (allowed: number | string) => ({
  ...everyone(404),
  owner: allowed,
  suspended: allowed,
  suspendedPhysician: allowed,
  moderator: 403,
  admin: 403,
});
/** A write refused to both suspended identities, with the status they get. */
const notSuspended = (expect: Record<Who, number | string>, status = 403) => ({ ...expect, suspended: status, suspendedPhysician: status });
/** Someone else's post to report: a suspended member owns the cell's content, and can't report their own. */
const reportee = async (c: Cell) => (SUSPENDED.includes(c.who) ? createUser(t.db) : c.owner);

const pendingThread = async (c: Cell) => (await createThread(t.db, c.owner, { status: "PENDING" })).id;
const pendingReply = async (c: Cell) => {
  const thread = await createThread(t.db, c.owner);
  return (await createReply(t.db, c.owner, thread.id, { status: "PENDING" })).id;
};

const articleFields = () => ({
  title: "What an NK-cell activation test measures",
  body: "An article long enough to publish. ".repeat(10),
  categoryId: "1",
  tags: "nk cells, tests",
  references: "PMID: 30673547",
});
/** An article: the signed-in physician's own, or another physician's for everyone else. */
const articleOf = async (c: Cell) => {
  const author = c.user?.persona === "physician" ? c.user : await createUser(t.db, "physician");
  return (await createThread(t.db, author, { kind: "ARTICLE" })).id;
};
/** A published physician's answer in the owner's question, by a physician other than the one signed in. */
const answerTo = async (c: Cell) => {
  const thread = await createThread(t.db, c.owner);
  return (await createReply(t.db, await createUser(t.db, "physician"), thread.id)).id;
};

const ACCOUNT_ROUTES: Record<string, Route> = {
  "GET /signup/confirm": { request: async () => ({ path: `/signup/confirm?token=${"a".repeat(43)}` }), expect: everyone(410) },
  "POST /signup/confirm": { request: async () => ({ path: "/signup/confirm", fields: { token: "a".repeat(43) } }), expect: everyone(410) },
  "GET /login/two-factor": { request: async () => ({ path: "/login/two-factor" }), expect: { ...everyone(302), reader: "login" } },
  "POST /login/two-factor": { request: async () => ({ path: "/login/two-factor", fields: { code: "123456" } }), expect: everyone(401) },
  "GET /login/forgot": { request: async () => ({ path: "/login/forgot" }), expect: everyone(200) },
  "POST /login/forgot": { request: async (c) => ({ path: "/login/forgot", fields: { email: c.owner.email } }), expect: everyone(200) },
  "GET /login/reset": { request: async () => ({ path: `/login/reset?token=${"a".repeat(43)}` }), expect: everyone(410) },
  "POST /login/reset": {
    request: async () => ({ path: "/login/reset", fields: { token: "a".repeat(43), password: "a brand new garden path" } }),
    expect: everyone(410),
  },
  "GET /account/two-factor": { request: async () => ({ path: "/account/two-factor" }), expect: signedIn(200, "login") },
  "POST /account/two-factor": {
    request: async () => ({ path: "/account/two-factor", fields: { code: "000000" } }),
    expect: signedIn(400, 303),
  },
  "POST /account/two-factor/disable": {
    request: async () => ({ path: "/account/two-factor/disable", fields: { password: PASSWORD } }),
    expect: signedIn(303, 303),
  },
  "GET /account/confirm": { request: async () => ({ path: "/account/confirm?next=%2Faccount" }), expect: signedIn(200, "login") },
  "POST /account/confirm": {
    request: async () => ({ path: "/account/confirm", fields: { password: PASSWORD, next: "/account" } }),
    expect: signedIn(303, 303),
  },
  "GET /account/email/confirm": {
    request: async () => ({ path: `/account/email/confirm?token=${"a".repeat(43)}` }),
    expect: everyone(410),
  },
  "POST /account/email/confirm": {
    request: async () => ({ path: "/account/email/confirm", fields: { token: "a".repeat(43) } }),
    expect: everyone(410),
  },
  "POST /admin/settings/two-factor": {
    request: async () => ({ path: "/admin/settings/two-factor", fields: { staffTwoFactor: "optional" } }),
    expect: { ...everyone(403), reader: 303, admin: 303 },
  },
};

// Outcomes: a status code, or "login" (sent to sign in: 302 to /login?next=…).
const MATRIX: Record<string, Route> = {
  "GET /": { request: async () => ({ path: "/" }), expect: everyone(200) },
  "GET /c/:slug": { request: async () => ({ path: "/c/support" }), expect: everyone(200) },
  "GET /t/:id": { request: async (c) => ({ path: `/t/${(await createThread(t.db, c.owner)).id}` }), expect: everyone(200) },
  "GET /t/:id/:slug": { request: async (c) => ({ path: `/t/${(await createThread(t.db, c.owner)).id}/any-slug` }), expect: everyone(200) },
  "GET /t/:id/edit": { request: async (c) => ({ path: `/t/${await pendingThread(c)}/edit` }), expect: ownerOnly(200) },
  "GET /replies/:id/edit": { request: async (c) => ({ path: `/replies/${await pendingReply(c)}/edit` }), expect: ownerOnly(200) },
  // Signed out, the form is there too: the question is kept through sign-up (#23).
  "GET /ask": { request: async () => ({ path: "/ask" }), expect: everyone(200) },
  "GET /signup": { request: async () => ({ path: "/signup" }), expect: { ...everyone(302), reader: 200 } },
  "GET /login": { request: async () => ({ path: "/login" }), expect: { ...everyone(302), reader: 200 } },
  "GET /physicians": { request: async () => ({ path: "/physicians" }), expect: everyone(200) },
  "GET /latest": { request: async () => ({ path: "/latest" }), expect: everyone(200) },
  "GET /unanswered": { request: async () => ({ path: "/unanswered" }), expect: everyone(200) },
  "GET /moderation": { request: async () => ({ path: "/moderation" }), expect: staffOnly(200, "login") },
  "GET /account": { request: async () => ({ path: "/account" }), expect: signedIn(200, "login") },
  "GET /healthz": { request: async () => ({ path: "/healthz" }), expect: everyone(200) },
  "GET /readyz": { request: async () => ({ path: "/readyz" }), expect: everyone(200) },
  "GET /safety-rules.json": { request: async () => ({ path: "/safety-rules.json" }), expect: everyone(200) },
  "GET /privacy": { request: async () => ({ path: "/privacy" }), expect: everyone(200) },
  "GET /terms": { request: async () => ({ path: "/terms" }), expect: everyone(200) },
  "POST /t/:id/withdraw": {
    request: async (c) => ({ path: `/t/${(await createThread(t.db, c.owner)).id}/withdraw`, fields: { confirm: "withdraw" } }),
    // Withdrawing says less: like deleting the account, a suspended member may still do it.
    expect: { ...ownerOnly(303), reader: 401 },
  },
  "GET /t/:id/report": {
    request: async (c) => ({ path: `/t/${(await createThread(t.db, await reportee(c))).id}/report` }),
    expect: { ...everyone(200), reader: "login", owner: 403 },
  },
  "POST /t/:id/report": {
    request: async (c) => ({ path: `/t/${(await createThread(t.db, await reportee(c))).id}/report`, fields: { reason: "SPAM", note: "" } }),
    expect: notSuspended({ ...everyone(200), reader: "login", owner: 403 }),
  },
  "GET /replies/:id/report": {
    request: async (c) => {
      const author = await reportee(c);
      return { path: `/replies/${(await createReply(t.db, author, (await createThread(t.db, author)).id)).id}/report` };
    },
    expect: { ...everyone(200), reader: "login", owner: 403 },
  },
  "POST /replies/:id/report": {
    request: async (c) => {
      const author = await reportee(c);
      return {
        path: `/replies/${(await createReply(t.db, author, (await createThread(t.db, author)).id)).id}/report`,
        fields: { reason: "ABUSE", note: "" },
      };
    },
    expect: notSuspended({ ...everyone(200), reader: "login", owner: 403 }),
  },
  "POST /moderation/:kind/:id/hide": {
    request: async (c) => ({
      path: `/moderation/threads/${(await createThread(t.db, c.owner)).id}/hide`,
      fields: { reason: "Spam or advertising", note: "" },
    }),
    expect: staffOnly(303, 401),
  },
  "POST /moderation/:kind/:id/dismiss-flags": {
    request: async (c) => {
      const thread = await createThread(t.db, c.owner);
      await t.db.flag.create({ data: { reporterId: (await createUser(t.db)).id, threadId: thread.id, reason: "SPAM" } });
      return { path: `/moderation/threads/${thread.id}/dismiss-flags`, fields: {} };
    },
    expect: staffOnly(303, 401),
  },
  "GET /moderation/log": { request: async () => ({ path: "/moderation/log" }), expect: staffOnly(200, "login") },
  "POST /moderation/:kind/:id/request-changes": {
    request: async (c) => ({
      path: `/moderation/threads/${await pendingThread(c)}/request-changes`,
      fields: { note: "Please remove your clinic's name." },
    }),
    expect: staffOnly(303, 401),
  },
  "POST /moderation/threads/:id/lock": {
    request: async (c) => ({ path: `/moderation/threads/${(await createThread(t.db, c.owner)).id}/lock`, fields: {} }),
    expect: staffOnly(303, 401),
  },
  "POST /moderation/threads/:id/unlock": {
    request: async (c) => {
      const thread = await createThread(t.db, c.owner);
      await t.db.thread.update({ where: { id: thread.id }, data: { lockedAt: new Date() } });
      return { path: `/moderation/threads/${thread.id}/unlock`, fields: {} };
    },
    expect: staffOnly(303, 401),
  },
  "POST /moderation/:kind/:id/claim": {
    request: async (c) => ({ path: `/moderation/threads/${await pendingThread(c)}/claim`, fields: {} }),
    expect: staffOnly(303, 401),
  },
  "POST /moderation/:kind/:id/release": {
    request: async (c) => {
      const id = await pendingThread(c);
      if (c.user) await t.db.thread.update({ where: { id }, data: { claimedById: c.user.id, claimedAt: new Date() } });
      return { path: `/moderation/threads/${id}/release`, fields: {} };
    },
    expect: staffOnly(303, 401),
  },
  "POST /moderation/:kind/:id/reverse": {
    request: async (c) => ({
      path: `/moderation/threads/${(await createThread(t.db, c.owner, { status: "REJECTED" })).id}/reverse`,
      fields: { note: "Rejected by mistake" },
    }),
    expect: staffOnly(303, 401),
  },
  "GET /moderation/users/:id": { request: async (c) => ({ path: `/moderation/users/${c.owner.id}` }), expect: staffOnly(200, "login") },
  "POST /moderation/users/:id/restrict": {
    request: async (c) => ({
      path: `/moderation/users/${c.owner.id}/restrict`,
      fields: { action: "silence", days: "3", message: "Please slow down." },
    }),
    expect: staffOnly(303, 401),
  },
  "POST /moderation/users/:id/revoke": {
    request: async () => {
      const physician = await createUser(t.db, "physician");
      return { path: `/moderation/users/${physician.id}/revoke`, fields: { reason: "Licence lapsed" } };
    },
    expect: staffOnly(303, 401),
  },
  "POST /moderation/users/:id/recheck": {
    request: async () => {
      const physician = await createUser(t.db, "physician");
      const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
      return {
        path: `/moderation/users/${physician.id}/recheck`,
        fields: { registryName: "Testland Medical Register", registryReference: "TMR-9", checkedOn: day(0), reverifyBy: day(365) },
      };
    },
    expect: staffOnly(303, 401),
  },
  "POST /moderation/bulk": {
    request: async (c) => ({ path: "/moderation/bulk", fields: { items: `threads-${await pendingThread(c)}`, decision: "approve" } }),
    expect: staffOnly(303, 401),
  },
  "GET /assets/:file": { request: async () => ({ path: "/assets/nothing.0000000000.css" }), expect: everyone(404) },
  "GET /assets/safety-guard.:hash.js": { request: async () => ({ path: "/assets/safety-guard.0000000000.js" }), expect: everyone(404) },
  "GET /public/*": { request: async () => ({ path: "/public/styles.css" }), expect: everyone(200) },
  "GET /admin/settings": { request: async () => ({ path: "/admin/settings" }), expect: { ...everyone(403), reader: "login", admin: 200 } },
  "POST /admin/settings": {
    request: async () => ({
      path: "/admin/settings",
      fields: DEFAULT_SETTINGS_FORM,
    }),
    expect: { ...everyone(403), reader: 303, admin: 303 },
  },
  // Operations (branch ops): members and roles, the admin's set-password link, the one-click unsubscribe.
  "GET /admin/members": {
    request: async () => ({ path: "/admin/members?q=member" }),
    expect: { ...everyone(403), reader: "login", admin: 200 },
  },
  "POST /admin/members/:id/role": {
    request: async (c) => ({ path: `/admin/members/${c.owner.id}/role`, fields: { role: "MODERATOR", reason: "Helps with the queue" } }),
    expect: { ...everyone(403), reader: 303, admin: 303 },
  },
  "GET /set-password/:token": { request: async (c) => ({ path: setupPath(await setupLinkFor(t.db, c.owner)) }), expect: everyone(200) },
  "POST /set-password/:token": {
    request: async (c) => ({
      path: setupPath(await setupLinkFor(t.db, c.owner)),
      fields: { password: "a new password for this", confirm: "a new password for this" },
    }),
    expect: everyone(303),
  },
  "POST /unsubscribe": {
    // The one-click POST needs no CSRF token (see mail.test.ts); unsigned, it is refused for everyone.
    request: async (c) => ({ path: `/unsubscribe?u=${c.owner.id}&t=1&s=${"A".repeat(43)}`, fields: { "List-Unsubscribe": "One-Click" } }),
    expect: everyone(403),
  },
  "POST /t/:id/follow": {
    request: async (c) => ({ path: `/t/${(await createThread(t.db, c.owner)).id}/follow`, fields: { follow: "on" } }),
    expect: notSuspended(signedIn(303, 401)),
  },
  "GET /unsubscribe": {
    // Unsigned: refused for everyone; the signed link is tested in mail.test.ts.
    request: async (c) => ({ path: `/unsubscribe?u=${c.owner.id}&t=1&s=${"A".repeat(43)}` }),
    expect: everyone(403),
  },
  "POST /account/mail": {
    request: async () => ({ path: "/account/mail", fields: { questionMail: "DAILY" } }),
    // Asking for less mail always works, suspended or not.
    expect: { ...everyone(403), reader: 303, physician: 303, suspendedPhysician: 303 },
  },
  "GET /feeds/answered.atom": { request: async () => ({ path: "/feeds/answered.atom" }), expect: everyone(200) },
  "GET /c/:slug/feed.atom": { request: async () => ({ path: "/c/support/feed.atom" }), expect: everyone(200) },
  "GET /physicians/:handle/feed.atom": {
    request: async () => ({
      path: `/physicians/${(await t.db.physicianProfile.findFirstOrThrow({ where: { status: "VERIFIED" } })).handle}/feed.atom`,
    }),
    expect: everyone(200),
  },
  "GET /inbox": {
    request: async () => ({ path: "/inbox" }),
    expect: { ...everyone(403), reader: "login", physician: 200, suspendedPhysician: 200 },
  },
  "POST /inbox/:id/not-for-me": {
    request: async (c) => ({ path: `/inbox/${(await createThread(t.db, c.owner)).id}/not-for-me`, fields: {} }),
    expect: { ...everyone(403), reader: 401, physician: 303 },
  },
  "GET /physicians/:handle": {
    request: async () => ({
      path: `/physicians/${(await t.db.physicianProfile.findFirstOrThrow({ where: { status: "VERIFIED" } })).handle}`,
    }),
    expect: everyone(200),
  },
  "GET /articles": { request: async () => ({ path: "/articles?tag=nk%20cells" }), expect: everyone(200) },
  "GET /articles/new": { request: async () => ({ path: "/articles/new" }), expect: { ...everyone(403), reader: "login", physician: 200 } },
  "POST /articles/new": {
    request: async () => ({ path: "/articles/new", fields: articleFields() }),
    expect: { ...everyone(403), reader: 401, physician: 303 },
  },
  "GET /articles/:id/edit": {
    request: async (c) => ({ path: `/articles/${await articleOf(c)}/edit` }),
    expect: { ...everyone(403), reader: "login", physician: 200, suspendedPhysician: 200 },
  },
  "POST /articles/:id/edit": {
    request: async (c) => ({ path: `/articles/${await articleOf(c)}/edit`, fields: articleFields() }),
    expect: { ...everyone(403), reader: 401, physician: 303 },
  },
  "GET /articles/:id/history": { request: async (c) => ({ path: `/articles/${await articleOf(c)}/history` }), expect: everyone(200) },
  "POST /replies/:id/agree": {
    request: async (c) => ({ path: `/replies/${await answerTo(c)}/agree`, fields: { on: "yes" } }),
    expect: { ...everyone(403), reader: 401, physician: 303 },
  },
  "POST /replies/:id/helpful": {
    request: async (c) => ({ path: `/replies/${await answerTo(c)}/helpful`, fields: { on: "yes" } }),
    expect: notSuspended({ ...everyone(303), reader: 401, physician: 403, moderator: 403, admin: 403 }),
  },
  "POST /replies/:id/accept": {
    request: async (c) => ({ path: `/replies/${await answerTo(c)}/accept`, fields: { on: "yes" } }),
    expect: { ...everyone(403), reader: 401, owner: 303 },
  },
  "POST /account/profile": {
    request: async () => ({ path: "/account/profile", fields: { bio: "I see couples after recurrent loss.", disclosures: "" } }),
    expect: { ...everyone(403), reader: 303, physician: 303, unverifiedPhysician: 303 },
  },
  "GET /sitemap.xml": { request: async () => ({ path: "/sitemap.xml" }), expect: everyone(200) },
  "GET /robots.txt": { request: async () => ({ path: "/robots.txt" }), expect: everyone(200) },
  "GET /search": { request: async () => ({ path: "/search?q=IVF+NK" }), expect: everyone(200) },
  "GET /notifications": { request: async () => ({ path: "/notifications" }), expect: signedIn(200, "login") },
  "GET /notifications/:id": {
    request: async (c) => {
      const n = await t.db.notification.create({ data: { userId: c.owner.id, kind: "DECISION", message: "Approved", url: "/" } });
      return { path: `/notifications/${n.id}` };
    },
    expect: { ...ownerOnly(302), moderator: 404, admin: 404, reader: "login" },
  },
  "POST /notifications/read": { request: async () => ({ path: "/notifications/read", fields: {} }), expect: signedIn(303, 303) },
  "GET /moderation/:kind/:id/history": {
    request: async (c) => ({ path: `/moderation/threads/${(await createThread(t.db, c.owner)).id}/history` }),
    expect: staffOnly(200, "login"),
  },
  "GET /moderation/:kind/:id/redact": {
    request: async (c) => ({ path: `/moderation/threads/${await pendingThread(c)}/redact` }),
    expect: staffOnly(200, "login"),
  },
  "POST /moderation/:kind/:id/redact": {
    request: async (c) => ({
      path: `/moderation/threads/${await pendingThread(c)}/redact`,
      fields: { title: "A redacted title", body: "A redacted body that is long enough.", note: "Removed a clinic's name" },
    }),
    expect: staffOnly(303, 401),
  },
  "POST /signup": {
    request: async () => ({
      path: "/signup",
      fields: {
        email: `m${Date.now()}${Math.round(performance.now())}@example.test`,
        password: "long enough password",
        pseudonym: `Matrix ${performance.now()}`.replace(".", ""),
        consent: "yes",
      },
    }),
    // A reader gets "check your email"; someone signed in is sent home.
    expect: { ...everyone(303), reader: 200 },
  },
  "POST /login": {
    request: async (c) => ({ path: "/login", fields: { email: c.owner.email, password: PASSWORD } }),
    expect: everyone(303),
  },
  "POST /logout": { request: async () => ({ path: "/logout", fields: {} }), expect: everyone(303) },
  "POST /ask": {
    request: async () => ({
      path: "/ask",
      fields: {
        title: "A matrix question title",
        body: "A matrix question body, long enough.",
        categoryId: String(await categoryId(t.db)),
        _reviewed: "as-written",
      },
    }),
    // A reader is asked to join, the question kept (#23).
    expect: notSuspended(signedIn(303, 200)),
  },
  "POST /t/:id/replies": {
    request: async (c) => ({ path: `/t/${(await createThread(t.db, c.owner)).id}/replies`, fields: { body: "A reply", parentId: "" } }),
    expect: notSuspended(signedIn(303, 401)),
  },
  "POST /t/:id/edit": {
    request: async (c) => ({
      path: `/t/${await pendingThread(c)}/edit`,
      fields: { title: "An edited title here", body: "An edited body that is long enough.", categoryId: String(await categoryId(t.db)) },
    }),
    expect: notSuspended(ownerOnly(303)),
  },
  "POST /replies/:id/edit": {
    request: async (c) => ({ path: `/replies/${await pendingReply(c)}/edit`, fields: { body: "Edited reply" } }),
    expect: notSuspended(ownerOnly(303)),
  },
  "POST /moderation/:kind/:id/approve": {
    request: async (c) => ({ path: `/moderation/threads/${await pendingThread(c)}/approve`, fields: {} }),
    expect: staffOnly(303, 401),
  },
  "POST /moderation/:kind/:id/reject": {
    request: async (c) => ({
      path: `/moderation/threads/${await pendingThread(c)}/reject`,
      fields: { reason: "Off-topic for Curbside", note: "" },
    }),
    expect: staffOnly(303, 401),
  },
  "POST /account/password": {
    request: async () => ({ path: "/account/password", fields: { currentPassword: PASSWORD, newPassword: "another long password" } }),
    expect: signedIn(303, 303),
  },
  "POST /account/pseudonym": {
    request: async () => ({ path: "/account/pseudonym", fields: { pseudonym: `Renamed ${performance.now()}`.replace(".", "") } }),
    expect: notSuspended(signedIn(303, 303)),
  },
  "POST /account/email": {
    request: async () => ({
      path: "/account/email",
      fields: { email: `renamed${performance.now()}@example.test`.replace(".", ""), password: PASSWORD },
    }),
    expect: signedIn(303, 303),
  },
  "POST /account/sessions/:id/end": {
    request: async (c) => {
      // Another of this person's sessions (or, for a reader, someone else's): only its owner may end it.
      const someone = c.user ?? c.owner;
      const other = t.agent();
      await logIn(other, someone);
      const rows = await t.db.session.findMany({ where: { userId: someone.id }, orderBy: { createdAt: "desc" } });
      return { path: `/account/sessions/${rows[0]?.id}/end`, fields: {} };
    },
    expect: signedIn(303, 303),
  },
  "GET /account/export": { request: async () => ({ path: "/account/export" }), expect: signedIn(200, "login") },
  "POST /account/delete": {
    request: async () => ({ path: "/account/delete", fields: { password: PASSWORD, confirm: "delete" } }),
    expect: signedIn(200, 303),
  },
  // Accounts (#23). Links with a bad token are refused alike for everyone; good tokens are tested in the
  // signup, password-reset, account and two-factor tests.
  ...ACCOUNT_ROUTES,
};

describe("the authorization matrix", () => {
  it("has an entry for every route Fastify knows", () => {
    const routes = t.app.routeTable.map((r) => `${r.method} ${r.url}`);
    expect(routes.filter((r) => !(r in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
  });

  const cells = Object.entries(MATRIX).flatMap(([route, spec]) => WHO.map((who) => [route, who, spec] as const));
  it.each(cells)("%s as %s", async (route, who, spec) => {
    const c = await cell(who);
    const { path, fields } = await spec.request(c);
    const res = route.startsWith("GET ")
      ? await c.agent.get(path)
      : await c.agent
          .post(path)
          .type("form")
          .send({ _csrf: c.token, ...fields });
    const expected = spec.expect[who];
    if (expected === "login") {
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^\/login\?next=/);
    } else {
      expect(res.status).toBe(expected);
    }
  });
});

// Forged requests are sent as someone the route would otherwise serve (the first signed-in person whose expected
// outcome is a success), so that a handler that stopped checking the token would be caught: nothing may change in
// any table. The same request with the right token then changes something, so the check can tell.
describe("every non-GET route refuses forged requests", () => {
  // RFC 8058's one-click POST comes from a mail provider, with no cookie and no token: the signature in its URL
  // is what authorises it (mail.test.ts sends it signed, forged and unsigned).
  const SIGNED_LINK_ONLY = new Set(["POST /unsubscribe"]);
  const nonGet = Object.entries(MATRIX).filter(([route]) => !route.startsWith("GET ") && !SIGNED_LINK_ONLY.has(route));
  const ALLOWED_FIRST: Who[] = ["owner", "patient", "physician", "moderator", "admin", "unverifiedPhysician"];
  // Mailed-link and code forms: in the matrix their token or code is not a real one, so even the rightly sent
  // request is refused (410/401) and changes nothing; the forged ones must still be refused before that.
  const LINK_OR_CODE = new Set(["POST /signup/confirm", "POST /account/email/confirm", "POST /login/reset", "POST /login/two-factor"]);
  const actor = (route: string, spec: Route): Who => {
    if (route === "POST /signup" || route.startsWith("POST /login") || LINK_OR_CODE.has(route)) return "reader";
    // A wrong first code (400) is what the matrix sends; the forged request must not even get that far.
    if (route === "POST /account/two-factor") return "owner";
    const who = ALLOWED_FIRST.find((w) => spec.expect[w] === 200 || spec.expect[w] === 303);
    if (!who) throw new Error(`${route}: no signed-in person is allowed, so a forged request proves nothing`);
    return who;
  };
  /** Allowed requests that change no table when the person has nothing to change (no unread notifications). */
  // (and turning two-factor off for someone who never turned it on).
  const CHANGES_NOTHING_WHEN_ALLOWED = new Set(["POST /notifications/read", "POST /account/two-factor/disable"]);

  it.each(nonGet)("%s: missing token, wrong token, cross-site Origin, cross-site Sec-Fetch-Site", async (route, spec) => {
    const who = actor(route, spec);
    for (const forge of ["missing", "wrong", "origin", "fetch-site"] as const) {
      const c = await cell(who);
      const { path, fields } = await spec.request(c);
      const before = await tableDigests(t.db);
      let req = c.agent.post(path).type("form");
      if (forge === "origin") req = req.set("Origin", "https://evil.example");
      if (forge === "fetch-site") req = req.set("Sec-Fetch-Site", "cross-site");
      const token = forge === "missing" ? undefined : forge === "wrong" ? `${c.token.slice(0, -4)}abcd` : c.token;
      const res = await req.send(token === undefined ? { ...fields } : { _csrf: token, ...fields });
      expect(res.status, `${route} as ${who} with ${forge}`).toBe(403);
      expect(changedTables(before, await tableDigests(t.db)), `${route} as ${who} with ${forge} changed these tables`).toEqual([]);
    }
    // The control: the same request, rightly sent, is served and changes something.
    const c = await cell(who);
    const { path, fields } = await spec.request(c);
    const before = await tableDigests(t.db);
    const res = await c.agent
      .post(path)
      .type("form")
      .send({ _csrf: c.token, ...fields });
    expect(res.status, `${route} as ${who} with its token`).toBe(spec.expect[who]);
    if (!CHANGES_NOTHING_WHEN_ALLOWED.has(route) && !LINK_OR_CODE.has(route) && route !== "POST /account/two-factor")
      expect(changedTables(before, await tableDigests(t.db)), `${route} as ${who} with its token changed nothing`).not.toEqual([]);
  });
});
