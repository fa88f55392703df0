// Search: relevance with fixtures whose order is stated, filters, abbreviations, snippets, pages, and what
// must never be found. Every fixture carries a made-up word so that the demo content does not interfere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { injectedMarkup, parseHtml, textContent } from "./helpers/html.ts";
import { textOf } from "./helpers/http.ts";

let t: TestApp;
let patient: UserFixture;
let physician: UserFixture;

const search = (query: string) => t.http().get(`/search?${query}`);

/** The result titles in page order. */
function titles(html: string): string[] {
  return [...html.matchAll(/<h3><a href="[^"]+">([\s\S]*?)<\/a><\/h3>/g)].map((m) => textOf((m[1] as string).replace(/<\/?mark>/g, "")));
}

beforeAll(async () => {
  t = await buildTestApp();
  patient = await createUser(t.db, "patient");
  physician = await createUser(t.db, "physician", { fullName: "Dr. Search Filter" });
});
afterAll(() => t.close());

describe("relevance", () => {
  it("ranks a match in the title above one in the body, above one only in a reply", async () => {
    await createThread(t.db, patient, { title: "Zebrafinch protocol after two losses", body: "Nothing else here." });
    await createThread(t.db, patient, { title: "A question about a protocol", body: "My clinic suggested the zebrafinch approach." });
    const third = await createThread(t.db, patient, { title: "Another unrelated question", body: "Plain text only." });
    await createReply(t.db, patient, third.id, { body: "Someone mentioned zebrafinch to me once." });
    const res = await search("q=zebrafinch");
    expect(res.status).toBe(200);
    // Expected order: title match, body match, reply match.
    expect(titles(res.text)).toEqual(["Zebrafinch protocol after two losses", "A question about a protocol", "Another unrelated question"]);
    expect(textOf(res.text)).toContain("3 results");
    expect(textOf(res.text)).toContain("match in a reply");
  });

  it("ranks more matches above fewer when the field is the same", async () => {
    await createThread(t.db, patient, { title: "Quillfeather once", body: "Just one mention of the word." });
    await createThread(t.db, patient, { title: "Quillfeather twice", body: "Quillfeather again, and quillfeather thrice." });
    expect(titles((await search("q=quillfeather")).text)).toEqual(["Quillfeather twice", "Quillfeather once"]);
  });
});

describe("relevance with two words or more", () => {
  it("ranks the words side by side above the same words far apart", async () => {
    const filler = "Nothing about the subject in this sentence, which goes on for a while to keep the words apart. ".repeat(3);
    // Made in this order so that a tie would list the other first (newer threads first among equals).
    await createThread(t.db, patient, { title: "Two words together", body: `We tried marbleworth glimmerstone once. ${filler}` });
    await createThread(t.db, patient, { title: "Two words apart", body: `Marbleworth first. ${filler} Then glimmerstone.` });
    expect(titles((await search("q=marbleworth+glimmerstone")).text)).toEqual(["Two words together", "Two words apart"]);
  });

  it("finds a thread once, by its best post, however many of its replies match", async () => {
    const host = await createThread(t.db, patient, { title: "Host of many matches", body: "Nothing here." });
    for (let i = 0; i < 3; i++) await createReply(t.db, patient, host.id, { body: `Velvetbrook mentioned, reply ${i + 1}.` });
    const best = await createReply(t.db, patient, host.id, { body: "Velvetbrook and velvetbrook again: velvetbrook." });
    const res = await search("q=velvetbrook");
    expect(titles(res.text)).toEqual(["Host of many matches"]);
    expect(textOf(res.text)).toContain("1 result");
    // The link and the snippet are the reply that matches most.
    expect(res.text).toContain(`#reply-${best.id}"`);
    expect(textOf(res.text)).toContain("velvetbrook again");
  });
});

describe("what search never shows", () => {
  it("pending, rejected and hidden posts, replies that are not approved, and withdrawn questions", async () => {
    await createThread(t.db, patient, { title: "Quokkamatch public", body: "Visible." });
    await createThread(t.db, patient, { title: "Quokkamatch pending", status: "PENDING" });
    await createThread(t.db, patient, { title: "Quokkamatch rejected", status: "REJECTED" });
    await createThread(t.db, patient, { title: "Quokkamatch hidden", status: "HIDDEN" });
    const withdrawn = await createThread(t.db, patient, { title: "Quokkamatch withdrawn" });
    await t.db.thread.update({ where: { id: withdrawn.id }, data: { withdrawnAt: new Date() } });
    const host = await createThread(t.db, patient, { title: "A host thread", body: "Nothing to find." });
    await createReply(t.db, patient, host.id, { body: "quokkamatch in a pending reply", status: "PENDING" });
    await createReply(t.db, patient, host.id, { body: "quokkamatch in a hidden reply", status: "HIDDEN" });
    const pendingHost = await createThread(t.db, patient, { title: "Pending host", status: "PENDING" });
    await createReply(t.db, patient, pendingHost.id, { body: "quokkamatch in an approved reply of a pending thread" });
    const res = await search("q=quokkamatch");
    expect(titles(res.text)).toEqual(["Quokkamatch public"]);
    expect(res.text).not.toContain("pending reply");
  });
});

describe("medical abbreviations", () => {
  it.each([
    ["NK", "Uterine NK cells at 14 percent, abbrtest1"],
    ["IVF", "Third IVF/ICSI cycle failed, abbrtest2"],
    ["HLA", "HLA-DQ alpha sharing with my partner, abbrtest3"],
    ["APS", "Diagnosed with APS after a stillbirth, abbrtest4"],
    ["IVIG", "Was offered IVIG before transfer, abbrtest5"],
  ])("%s finds its post", async (abbreviation, title) => {
    await createThread(t.db, patient, { title, body: "Looking for advice from a physician." });
    expect(titles((await search(`q=${abbreviation}`)).text)).toContain(title);
  });

  it("an abbreviation and its spelled-out form find each other", async () => {
    await createThread(t.db, patient, { title: "Natural killer cell testing, spellout", body: "Is the test useful?" });
    await createThread(t.db, patient, { title: "NK cell results, spellout", body: "High numbers." });
    expect(titles((await search("q=NK+spellout")).text).sort()).toEqual([
      "NK cell results, spellout",
      "Natural killer cell testing, spellout",
    ]);
    expect(titles((await search("q=natural+killer+spellout")).text).sort()).toEqual([
      "NK cell results, spellout",
      "Natural killer cell testing, spellout",
    ]);
  });
});

describe("filters", () => {
  it("by category, by answered or not, and by the physician who answered", async () => {
    const answered = await createThread(t.db, patient, { title: "Filtertest answered", category: "support" });
    await createReply(t.db, physician, answered.id, { body: "An answer." });
    await t.db.thread.update({ where: { id: answered.id }, data: { answeredAt: new Date() } });
    await createThread(t.db, patient, { title: "Filtertest unanswered", category: "support" });
    await createThread(t.db, patient, { title: "Filtertest elsewhere", category: "recurrent-pregnancy-loss" });
    expect(titles((await search("q=filtertest&category=support")).text).sort()).toEqual(["Filtertest answered", "Filtertest unanswered"]);
    expect(titles((await search("q=filtertest&answered=yes")).text)).toEqual(["Filtertest answered"]);
    expect(titles((await search("q=filtertest&answered=no")).text).sort()).toEqual(["Filtertest elsewhere", "Filtertest unanswered"]);
    const handle = (await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: physician.id } })).handle;
    expect(titles((await search(`q=filtertest&physician=${handle}`)).text)).toEqual(["Filtertest answered"]);
  });

  it("an unknown category or physician, or a bad page, gets a message and the form, not an error page", async () => {
    const badCategory = await search("q=filtertest&category=no-such-category");
    expect(badCategory.status).toBe(400);
    expect(textOf(badCategory.text)).toContain("Choose a category from the list.");
    expect(badCategory.text).toContain('value="filtertest"');
    const badPhysician = await search("q=filtertest&physician=nobody-at-all");
    expect(textOf(badPhysician.text)).toContain("Choose a physician from the list.");
    const badPage = await search("q=filtertest&page=abc");
    expect(badPage.status).toBe(400);
    expect(textOf(badPage.text)).toContain("Page must be a number.");
    expect((await search("q=filtertest&answered=maybe")).status).toBe(400);
  });
});

describe("snippets and pages", () => {
  it("highlights the words found, and escapes everything posted", async () => {
    await createThread(t.db, patient, {
      title: "Snippetword and markup",
      body: 'Before <script>alert("x")</script> the snippetword appears <b>here</b>.',
    });
    const res = await search("q=snippetword");
    expect(res.text).toContain("<mark>Snippetword</mark>");
    expect(res.text).toContain("<mark>snippetword</mark>");
    expect(res.text).toContain("alert(&quot;x&quot;)");
    expect(res.text).not.toContain('<script>alert("x")');
    // Parsed as a browser would: nothing the templates could not have made, and the text reads as posted.
    expect(injectedMarkup(res.text)).toEqual([]);
    expect(textContent(parseHtml(res.text))).toContain('alert("x")');
  });

  it("pages through results ten at a time, and says so past the end", async () => {
    for (let i = 1; i <= 12; i++) await createThread(t.db, patient, { title: `Pagerword number ${i}`, body: "Body." });
    const first = await search("q=pagerword");
    expect(titles(first.text)).toHaveLength(10);
    expect(textOf(first.text)).toContain("12 results");
    expect(first.text).toContain('href="/search?q&#x3D;pagerword&amp;page&#x3D;2"');
    expect(titles((await search("q=pagerword&page=2")).text)).toHaveLength(2);
    const past = await search("q=pagerword&page=9");
    expect(past.status).toBe(200);
    expect(textOf(past.text)).toContain("There are no more results.");
  });
});

describe("empty and absurd queries", () => {
  it.each([
    ["", "What are you looking for?"],
    ["q=", "What are you looking for?"],
    ["q=%21%21%21+%3F%3F%3F", "We couldn't find any words to search for"],
    ["q=the+and+of", "We couldn't find any words to search for"],
    [`q=${"a".repeat(300)}`, "That search is longer than 200 characters."],
    ["q=%22unclosed+quote+-", "Nothing matched."],
    ["q=%00%01", "What are you looking for?"],
  ])("%s gets a helpful page", async (query, message) => {
    const res = await search(query);
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain(message);
  });
});
