// A search that forgives typing: "Did you mean" from the words of public posts only, and a last word matched as
// a prefix while it is being typed.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The first request of a file builds the app's views; on a loaded machine that alone took over 20 s.
vi.setConfig({ testTimeout: 120_000 });

import { typedPrefix } from "../src/search/suggest.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let author: UserFixture;

beforeAll(async () => {
  t = await buildTestApp();
  author = await createUser(t.db);
  await createThread(t.db, author, {
    title: "Heparin injections after two losses",
    body: "My clinic suggested heparin and aspirin from the positive test. Did it help anyone?",
  });
});
afterAll(() => t.close());

const search = async (q: string) => (await t.http().get(`/search?q=${encodeURIComponent(q)}`)).text;
const didYouMean = (html: string) => textOf(/<p class="did-you-mean">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? "").replace(" ?", "?") || null;

describe("did you mean", () => {
  it("offers the public word closest to a misspelt one, keeping the rest of the search", async () => {
    const html = await search("heprin after a loss");
    expect(didYouMean(html)).toBe("Did you mean heparin after a loss?");
    expect(html).toContain('href="/search?q&#x3D;heparin+after+a+loss"');
    expect(didYouMean(await search("heparin"))).toBeNull();
    expect(didYouMean(await search("zzzzqqqq"))).toBeNull();
  });

  it("never offers a word found only in a post that is not public", async () => {
    const patient = await createUser(t.db);
    // Each word is in exactly one post, none of them public.
    const pending = await createThread(t.db, patient, {
      title: "About quixotrelin doses",
      body: "Pending question about quixotrelin.",
      status: "PENDING",
    });
    await createThread(t.db, patient, { title: "About brandovimab doses", body: "Hidden question about brandovimab.", status: "HIDDEN" });
    await createThread(t.db, patient, {
      title: "About calpurnistat doses",
      body: "Rejected question about calpurnistat.",
      status: "REJECTED",
    });
    const publicThread = await createThread(t.db, patient, {
      title: "A public question about doses",
      body: "Nothing unusual in this one.",
    });
    await createReply(t.db, patient, publicThread.id, { body: "Pending reply mentioning dornexiprol.", status: "PENDING" });
    for (const typo of ["quixotrelim", "brandovimap", "calpurnistad", "dornexiprel"])
      expect(didYouMean(await search(typo)), typo).toBeNull();

    // Once approved, the word is offered; once hidden again, it is not.
    const mod = t.agent();
    await logIn(mod, await createUser(t.db, "moderator"));
    await submit(mod, "/moderation", `/moderation/threads/${pending.id}/approve`, {});
    expect(didYouMean(await search("quixotrelim"))).toBe("Did you mean quixotrelin?");
    await t.db.thread.update({ where: { id: pending.id }, data: { status: "HIDDEN" } });
    expect(didYouMean(await search("quixotrelim"))).toBeNull();
  });

  it("forgets the words of a question once it is withdrawn, and of a reply once hidden", async () => {
    const patient = await createUser(t.db);
    const thread = await createThread(t.db, patient, { title: "Question about velmarinode", body: "Has anyone taken velmarinode?" });
    const reply = await createReply(t.db, patient, thread.id, { body: "I took trasquilumab instead." });
    expect(didYouMean(await search("velmarinade"))).toBe("Did you mean velmarinode?");
    expect(didYouMean(await search("trasquilumap"))).toBe("Did you mean trasquilumab?");
    await t.db.reply.update({ where: { id: reply.id }, data: { status: "HIDDEN" } });
    expect(didYouMean(await search("trasquilumap"))).toBeNull();
    await t.db.reply.update({ where: { id: reply.id }, data: { status: "APPROVED" } });
    expect(didYouMean(await search("trasquilumap"))).toBe("Did you mean trasquilumab?");
    const asker = t.agent();
    await logIn(asker, patient);
    await submit(asker, `/t/${thread.id}`, `/t/${thread.id}/withdraw`, { confirm: "withdraw" });
    expect(didYouMean(await search("velmarinade"))).toBeNull();
    // Search leaves a withdrawn question's replies out (see search/service.ts), and so do its words.
    expect(didYouMean(await search("trasquilumap"))).toBeNull();
  });

  it("shows what was typed as text, never as markup", async () => {
    const html = await search(`heprin <img src=x onerror=alert(1)>`);
    expect(html).not.toContain("<img src=x");
    expect(didYouMean(html)).toContain("heparin");
  });
});

describe("a last word being typed", () => {
  it("matches as a prefix", async () => {
    expect(textOf(await search("hepar"))).toContain("Heparin injections after two losses");
    expect(textOf(await search("injections hepar"))).toContain("Heparin injections after two losses");
    // Not a prefix inside an exact phrase.
    expect(textOf(await search('"injections hepar"'))).toContain("0 results");
    expect(textOf(await search("zzhepar"))).toContain("0 results");
  });

  it("takes a word public posts hold as finished, not as the start of a longer one", async () => {
    await createThread(t.db, author, { title: "Quarrystone results came back", body: "Nothing else to add here." });
    await createThread(t.db, author, { title: "Quarrystoneware question", body: "A different word altogether." });
    expect(textOf(await search("quarrystone"))).toContain("1 result");
    expect(textOf(await search("quarrystone"))).toContain("Quarrystone results came back");
    // Cut short, it still finds both.
    expect(textOf(await search("quarrysto"))).toContain("2 results");
    expect(textOf(await search("results quarrysto"))).toContain("Quarrystone results came back");
  });

  it("only a plain last word of three letters or more, outside quotes and not excluded", () => {
    expect(typedPrefix("heparin after a lo")).toBeNull();
    expect(typedPrefix("heparin after a los")).toEqual({ rest: "heparin after a", prefix: "los" });
    expect(typedPrefix("IVF -hepar")).toBeNull();
    expect(typedPrefix('"natural kill')).toBeNull();
    expect(typedPrefix('"natural killer" cel')).toEqual({ rest: '"natural killer"', prefix: "cel" });
    expect(typedPrefix("hepar ")).toBeNull();
    expect(typedPrefix("it's:*")).toBeNull();
  });
});
