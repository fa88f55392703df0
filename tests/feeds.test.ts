// Atom feeds, the sitemap and QAPage structured data: well-formed XML with what RFC 4287 and the sitemap
// protocol require, approved content only, and escaping that no post can break.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn } from "./helpers/http.ts";

let t: TestApp;
let patient: UserFixture;
let physician: UserFixture;
let handle: string;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) => ["entry", "url", "link"].includes(name),
});
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** What RFC 4287 requires of a feed and its entries; returns the entries. */
function validateAtom(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml);
  const feed = doc.feed;
  expect(feed["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
  expect(typeof feed.id).toBe("string");
  expect(new URL(feed.id).protocol).toMatch(/^https?:$/);
  expect(feed.title["#text"]).toBeTruthy();
  expect(feed.updated).toMatch(RFC3339);
  expect(feed.author.name).toBeTruthy(); // a feed-level author covers every entry
  expect(feed.link.some((l: Record<string, string>) => l["@rel"] === "self" && String(l["@href"]).startsWith("http"))).toBe(true);
  const entries = feed.entry ?? [];
  const ids = new Set<string>();
  for (const e of entries) {
    expect(typeof e.id).toBe("string");
    expect(ids.has(e.id)).toBe(false);
    ids.add(e.id);
    expect(e.title["#text"]).toBeTruthy();
    expect(e.updated).toMatch(RFC3339);
    expect(e.link.some((l: Record<string, string>) => l["@rel"] === "alternate" && String(l["@href"]).startsWith("http"))).toBe(true);
  }
  return entries as { title: { "#text": string }; summary: { "#text": string } }[];
}

beforeAll(async () => {
  t = await buildTestApp();
  patient = await createUser(t.db, "patient");
  physician = await createUser(t.db, "physician", { fullName: "Feed Writer" });
  handle = (await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: physician.id } })).handle;
  const answered = async (title: string, category = "recurrent-pregnancy-loss", body = "A question body.") => {
    const thread = await createThread(t.db, patient, { title, category, body });
    await createReply(t.db, physician, thread.id, { body: "An answer." });
    await t.db.thread.update({ where: { id: thread.id }, data: { answeredAt: new Date() } });
    return thread;
  };
  await answered("Feedtest answered one");
  await answered("Feedtest support question", "support");
  await answered(
    'Feedtest <b>markup</b> & "quotes"',
    "recurrent-pregnancy-loss",
    "Body with <script>alert(1)</script> & \u0001 odd chars.",
  );
  await createThread(t.db, patient, { title: "Feedtest unanswered" });
  const pending = await createThread(t.db, patient, { title: "Feedtest pending", status: "PENDING" });
  await createReply(t.db, physician, pending.id, { body: "Answer on a pending question." });
  await t.db.thread.update({ where: { id: pending.id }, data: { answeredAt: new Date() } });
  const withdrawn = await answered("Feedtest withdrawn");
  await t.db.thread.update({ where: { id: withdrawn.id }, data: { withdrawnAt: new Date() } });
});
afterAll(() => t.close());

describe("Atom feeds", () => {
  it("the answered-questions feed is valid Atom with approved, answered, not-withdrawn questions only", async () => {
    const res = await t.http().get("/feeds/answered.atom");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    const titles = validateAtom(res.text).map((e) => e.title["#text"]);
    expect(titles).toContain("Feedtest answered one");
    expect(titles.some((x) => x.includes("unanswered") || x.includes("pending") || x.includes("withdrawn"))).toBe(false);
  });

  it("escapes markup in titles and bodies and drops characters XML cannot hold", async () => {
    const xml = (await t.http().get("/feeds/answered.atom")).text;
    expect(xml).toContain("Feedtest &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;");
    expect(xml).not.toContain("<script>");
    expect(xml).not.toContain("\u0001");
    validateAtom(xml);
  });

  it("per category and per physician, and unknown ones are 404", async () => {
    const support = validateAtom((await t.http().get("/c/support/feed.atom")).text).map((e) => e.title["#text"]);
    expect(support).toEqual(["Feedtest support question"]);
    const byPhysician = validateAtom((await t.http().get(`/physicians/${handle}/feed.atom`)).text).map((e) => e.title["#text"]);
    expect(byPhysician.sort()).toEqual(['Feedtest <b>markup</b> & "quotes"', "Feedtest answered one", "Feedtest support question"]);
    expect((await t.http().get("/c/no-such/feed.atom")).status).toBe(404);
    expect((await t.http().get("/physicians/nobody-here/feed.atom")).status).toBe(404);
    const unverified = await createUser(t.db, "unverifiedPhysician");
    const unverifiedHandle = (await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: unverified.id } })).handle;
    expect((await t.http().get(`/physicians/${unverifiedHandle}/feed.atom`)).status).toBe(404);
  });
});

describe("sitemap.xml", () => {
  it("is a valid sitemap of public pages, without unpublished or withdrawn threads", async () => {
    const res = await t.http().get("/sitemap.xml");
    expect(res.status).toBe(200);
    expect(XMLValidator.validate(res.text)).toBe(true);
    expect(Buffer.byteLength(res.text)).toBeLessThan(50 * 1024 * 1024);
    const set = parser.parse(res.text).urlset;
    expect(set["@xmlns"]).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
    const urls: { loc: string; lastmod?: string }[] = set.url;
    expect(urls.length).toBeGreaterThan(3);
    expect(urls.length).toBeLessThanOrEqual(50_000);
    for (const u of urls) {
      expect(u.loc.length).toBeLessThan(2048);
      expect(new URL(u.loc).origin).toBe("http://localhost:3000");
      if (u.lastmod) expect(u.lastmod).toMatch(RFC3339);
    }
    const locs = urls.map((u) => u.loc).join("\n");
    expect(locs).toContain("/feedtest-answered-one");
    expect(locs).toContain("/feedtest-unanswered");
    expect(locs).not.toContain("feedtest-pending");
    expect(locs).not.toContain("feedtest-withdrawn");
    expect((await t.http().get("/robots.txt")).text).toContain("Sitemap: http://localhost:3000/sitemap.xml");
  });
});

describe("QAPage structured data", () => {
  const ldOf = (html: string) => {
    const m = html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/);
    return m ? JSON.parse(m[1] as string) : null;
  };

  it("a public question carries its question and its physicians' published answers", async () => {
    const thread = await createThread(t.db, patient, {
      title: "QA page </script><script>alert(1)</script>",
      body: "Question text & more.",
    });
    await createReply(t.db, physician, thread.id, { body: "The physician's answer." });
    await createReply(t.db, patient, thread.id, { body: "A patient's follow-up." });
    await createReply(t.db, physician, thread.id, { body: "A pending physician reply.", status: "PENDING" });
    const html = (await t.http().get(`/t/${thread.id}`)).text;
    expect(html).not.toContain("</script><script>alert(1)");
    const data = ldOf(html);
    expect(data["@type"]).toBe("QAPage");
    expect(data.mainEntity).toMatchObject({ "@type": "Question", name: "QA page </script><script>alert(1)</script>", answerCount: 1 });
    expect(data.mainEntity.suggestedAnswer.map((a: { text: string }) => a.text)).toEqual(["The physician's answer."]);
    expect(data.mainEntity.suggestedAnswer[0].author.name).toBe("Dr. Feed Writer");
  });

  it("pending questions and articles carry none, and an author's own pending reply never appears", async () => {
    const pending = await createThread(t.db, patient, { status: "PENDING" });
    const agent = t.agent();
    await logIn(agent, patient);
    expect(ldOf((await agent.get(`/t/${pending.id}`)).text)).toBeNull();
    const article = await createThread(t.db, physician, { kind: "ARTICLE" });
    expect(ldOf((await t.http().get(`/t/${article.id}`)).text)).toBeNull();

    // A published question with a physician's answer, and its author's own reply awaiting review.
    const question = await createThread(t.db, patient, { title: "A question with a pending follow-up" });
    await createReply(t.db, physician, question.id, { body: "A published answer for the structured data." });
    await createReply(t.db, patient, question.id, { body: "My own follow-up awaiting review.", status: "PENDING" });
    const own = await agent.get(`/t/${question.id}`);
    expect(own.text).toContain("My own follow-up awaiting review."); // it exists, and its author sees it
    const signedOut = (await t.http().get(`/t/${question.id}`)).text;
    const ld = ldOf(signedOut) as { mainEntity: { suggestedAnswer: { text: string }[] } };
    expect(ld.mainEntity.suggestedAnswer.map((a) => a.text)).toEqual(["A published answer for the structured data."]);
    expect(signedOut).not.toContain("My own follow-up awaiting review.");
    for (const feed of ["/feeds/answered.atom", "/c/recurrent-pregnancy-loss/feed.atom", `/physicians/${handle}/feed.atom`]) {
      expect((await t.http().get(feed)).text, feed).not.toContain("My own follow-up awaiting review.");
    }
  });

  it("is written for readers who are not signed in: a signed-in page of the same question carries none", async () => {
    const thread = await createThread(t.db, patient, { title: "Structured data for crawlers only" });
    await createReply(t.db, physician, thread.id, { body: "An answer search engines may show." });
    expect(ldOf((await t.http().get(`/t/${thread.id}`)).text)?.["@type"]).toBe("QAPage");
    const agent = t.agent();
    await logIn(agent, patient);
    const page = await agent.get(`/t/${thread.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("An answer search engines may show.");
    expect(ldOf(page.text)).toBeNull();
  });
});
