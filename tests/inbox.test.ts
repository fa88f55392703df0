// The physician inbox (issue #25): urgent questions first, then the ones that waited longest; each with a plain-text
// excerpt and the urgent mark. "Not for me" takes a question out of one physician's inbox and nobody else's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threadUrl } from "../src/posts/urls.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createThread, createUser, type Persona, type UserFixture } from "./helpers/factories.ts";
import { attr, elements, type HtmlNode, injectedMarkup, parseHtml, textContent } from "./helpers/html.ts";
import { csrfFrom, logIn, submit } from "./helpers/http.ts";

let t: TestApp;
let patient: UserFixture;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await buildTestApp();
  patient = await createUser(t.db, "patient");
});
afterAll(() => t.close());

/** An approved question asked `hoursAgo` hours ago. */
async function question(title: string, hoursAgo: number, extra: { urgent?: boolean; body?: string } = {}) {
  const thread = await createThread(t.db, patient, { title, ...(extra.body ? { body: extra.body } : {}) });
  const createdAt = new Date(Date.now() - hoursAgo * HOUR);
  return t.db.thread.update({ where: { id: thread.id }, data: { createdAt, urgent: extra.urgent ?? false } });
}

async function signedIn(persona: Persona = "physician") {
  const user = await createUser(t.db, persona);
  const agent = t.agent();
  await logIn(agent, user);
  return { user, agent };
}

/** The inbox's entries as a physician sees them: for each list item linking to a thread, its link and the item. */
async function inbox(agent: ReturnType<TestApp["agent"]>): Promise<{ href: string; item: HtmlNode }[]> {
  const res = await agent.get("/inbox");
  expect(res.status).toBe(200);
  expect(injectedMarkup(res.text)).toEqual([]);
  const entries: { href: string; item: HtmlNode }[] = [];
  for (const li of elements(parseHtml(res.text))) {
    if (li.tagName !== "li") continue;
    const link = [...elements(li)].find((el) => el.tagName === "a" && /^\/t\/\d+/.test(attr(el, "href") ?? ""));
    if (link) entries.push({ href: attr(link, "href") as string, item: li });
  }
  return entries;
}

const hrefs = async (agent: ReturnType<TestApp["agent"]>) => (await inbox(agent)).map((e) => e.href);

describe("the inbox's order", () => {
  it("lists urgent questions first, then the one that waited longest, whatever order they were made in", async () => {
    // Made newest first, so that an inbox in insertion or id order would fail.
    const newest = await question("Inbox order: asked an hour ago", 1);
    const urgent = await question("Inbox order: urgent, asked yesterday", 24, { urgent: true });
    const middle = await question("Inbox order: asked two days ago", 48);
    const oldest = await question("Inbox order: asked three days ago", 72);
    const { agent } = await signedIn();
    const ours = [urgent, oldest, middle, newest].map(threadUrl);
    expect((await hrefs(agent)).filter((h) => ours.includes(h))).toEqual(ours);

    // The page says the order it uses.
    const text = textContent(parseHtml((await agent.get("/inbox")).text));
    expect(text).toMatch(/Urgent ones come first/);
    expect(text).toMatch(/waited longest comes first/);
    expect(text).not.toMatch(/newest first/i);
  });

  it("marks the urgent question, and only it", async () => {
    const urgent = await question("Inbox mark: urgent", 5, { urgent: true });
    const calm = await question("Inbox mark: a calm question", 6);
    const { agent } = await signedIn();
    const entries = await inbox(agent);
    const itemOf = (thread: { id: number; title: string }) => entries.find((e) => e.href === threadUrl(thread))?.item as HtmlNode;
    expect(textContent(itemOf(urgent))).toMatch(/\bUrgent\b/);
    expect(textContent(itemOf(calm))).not.toMatch(/urgent/i);
  });
});

describe("the excerpt", () => {
  it("shows each question's words as plain text: no Markdown syntax, no markup", async () => {
    const body = [
      "## My history",
      "",
      "**Three losses** after a _healthy_ first child. See [my notes](https://example.org/notes) and `TNF-alpha`.",
      "",
      "> My doctor said NK counts were normal.",
      "",
      "- letrozole",
      "- <b>intralipid</b> <script>alert(1)</script>",
    ].join("\n");
    const thread = await question("Inbox excerpt: Markdown in the body", 3, { body });
    const { agent } = await signedIn();
    const entry = (await inbox(agent)).find((e) => e.href === threadUrl(thread));
    expect(entry).toBeDefined();
    const item = entry?.item as HtmlNode;
    const text = textContent(item).replace(/\s+/g, " ");
    expect(text).toContain("My history Three losses after a healthy first child. See my notes and TNF-alpha.");
    expect(text).toContain("My doctor said NK counts were normal. letrozole <b>intralipid</b> <script>alert(1)</script>");
    for (const syntax of ["**", "##", "](", "`", "> My", "- letrozole", "_healthy_"]) expect(text).not.toContain(syntax);
    // The only link in the item is the question's own; the typed tags stay text.
    const tags = [...elements(item)].map((el) => el.tagName);
    expect(tags.filter((tag) => tag === "a")).toHaveLength(1);
    for (const tag of ["b", "script", "strong", "em", "code", "h2", "blockquote", "ul"]) expect(tags).not.toContain(tag);
  });
});

describe("Not for me", () => {
  const dismissals = (threadId: number) => t.db.inboxDismissal.count({ where: { threadId } });

  it("takes the question out of this physician's inbox only", async () => {
    const thread = await question("Not for me: dismissed by one", 10);
    const url = threadUrl(thread);
    const one = await signedIn();
    const other = await signedIn();
    expect(await hrefs(one.agent)).toContain(url);
    const res = await submit(one.agent, "/inbox", `/inbox/${thread.id}/not-for-me`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/inbox?notice=dismissed");
    expect(await hrefs(one.agent)).not.toContain(url);
    expect(await hrefs(other.agent)).toContain(url);
    const rows = await t.db.inboxDismissal.findMany({ where: { threadId: thread.id } });
    expect(rows.map((d) => d.userId)).toEqual([one.user.id]);
  });

  it("is refused to patients, moderators, admins, unverified physicians and signed-out readers, and changes nothing", async () => {
    const thread = await question("Not for me: refused", 11);
    for (const persona of ["patient", "moderator", "admin", "unverifiedPhysician"] as const) {
      const { agent } = await signedIn(persona);
      const token = csrfFrom((await agent.get("/account")).text);
      const res = await agent.post(`/inbox/${thread.id}/not-for-me`).type("form").send({ _csrf: token });
      expect(res.status, persona).toBe(403);
    }
    const reader = t.agent();
    const token = csrfFrom((await reader.get("/login")).text);
    const res = await reader.post(`/inbox/${thread.id}/not-for-me`).type("form").send({ _csrf: token });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await dismissals(thread.id)).toBe(0);
  });

  it("is refused to a suspended physician, who keeps the question", async () => {
    const thread = await question("Not for me: suspended physician", 12);
    const { user, agent } = await signedIn();
    const token = csrfFrom((await agent.get("/inbox")).text);
    await t.db.user.update({
      where: { id: user.id },
      data: { suspendedUntil: new Date(Date.now() + 3 * 86_400_000), restrictionMessage: "Cooling off" },
    });
    const res = await agent.post(`/inbox/${thread.id}/not-for-me`).type("form").send({ _csrf: token });
    expect(res.status).toBe(403);
    expect(res.text).toContain("suspended");
    expect(await dismissals(thread.id)).toBe(0);
  });

  it("needs the form's token: a forged request from a verified physician changes nothing", async () => {
    const thread = await question("Not for me: forged", 13);
    const { agent } = await signedIn();
    const url = threadUrl(thread);
    for (const fields of [{}, { _csrf: "forged-token" }]) {
      const res = await agent.post(`/inbox/${thread.id}/not-for-me`).type("form").send(fields);
      expect(res.status).toBe(403);
    }
    expect(await dismissals(thread.id)).toBe(0);
    expect(await hrefs(agent)).toContain(url);
  });

  it("is not found for a question that is not approved, and leaves no row", async () => {
    const pending = await createThread(t.db, patient, { title: "Not for me: pending", status: "PENDING" });
    const { agent } = await signedIn();
    const token = csrfFrom((await agent.get("/inbox")).text);
    const res = await agent.post(`/inbox/${pending.id}/not-for-me`).type("form").send({ _csrf: token });
    expect(res.status).toBe(404);
    expect(await dismissals(pending.id)).toBe(0);
  });
});
