// Hold reasons are decided once, when a post is sent, and stored with it: the queue shows what was stored, not
// what today's settings would say. A new hold rule is one entry in HOLD_RULES, and every kind of post (question,
// reply, article, edit) goes through it, because they all go through the one submit pipeline.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HOLD_RULES, type HoldRule } from "../src/moderation/hold.ts";
import { recordMissingHoldReasons } from "../src/moderation/hold-backfill.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { DEFAULT_SETTINGS_FORM } from "./helpers/settings.ts";

let t: TestApp;
let admin: ReturnType<TestApp["agent"]>;
let moderator: ReturnType<TestApp["agent"]>;
let cat: string;

async function signedIn(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

const save = (fields: Partial<typeof DEFAULT_SETTINGS_FORM>) =>
  submit(admin, "/admin/settings", "/admin/settings", { ...DEFAULT_SETTINGS_FORM, ...fields });

const ask = (agent: ReturnType<TestApp["agent"]>, title: string, body: string) =>
  submit(agent, "/ask", "/ask", { title, body, categoryId: cat, _reviewed: "as-written" });

/** The "Held because" line of the queue item titled `title`. */
async function heldLine(title: string): Promise<string> {
  const html = (await moderator.get("/moderation?show=questions")).text;
  const at = html.indexOf(title.replaceAll("'", "&#x27;"));
  expect(at, title).toBeGreaterThan(-1);
  const block = textOf(html.slice(at, at + 2500));
  return block.slice(block.indexOf("Held because:")).split(".")[0] as string;
}

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signedIn(await createUser(t.db, "admin"));
  moderator = await signedIn(await createUser(t.db, "moderator"));
  cat = String(await categoryId(t.db));
});
afterEach(async () => {
  await t.db.siteSettings.deleteMany();
});
afterAll(() => t.close());

describe("stored hold reasons", () => {
  it("the queue shows the reasons stored when the post was held, whatever the settings say later", async () => {
    expect((await save({ holdMode: "trusted", trustAfterApproved: "2", watchedHold: "lawsuit" })).status).toBe(303);
    const patient = await createUser(t.db, "patient");
    await createThread(t.db, patient);
    const agent = await signedIn(patient);
    const title = "Thinking about a lawsuit after my transfer";
    expect((await ask(agent, title, "See https://a.example/x and https://b.example/y about the lawsuit.")).status).toBe(303);
    const held = await t.db.thread.findFirstOrThrow({ where: { title } });
    expect(held.status).toBe("PENDING");
    const expected = ["2 links (the limit is 2)", 'watched word "lawsuit"', "the author has 1 of 2 approved posts needed to skip review"];
    expect(held.holdReasons).toEqual(expected);
    expect(held.heldAt).not.toBeNull();
    expect(await heldLine(title)).toBe(`Held because: ${expected.join("; ")}`);

    // Every rule that held it is gone from the settings now: the queue still says why it was held then.
    expect((await save({ holdMode: "all", holdLinksAt: "9", watchedHold: "" })).status).toBe(303);
    expect(await heldLine(title)).toBe(`Held because: ${expected.join("; ")}`);
    expect(await heldLine(title)).not.toContain("every patient post is reviewed");
  });

  it("a resubmitted post is decided again and stores the new reasons", async () => {
    const patient = await createUser(t.db, "patient");
    const agent = await signedIn(patient);
    const title = "A question I will edit before review";
    expect((await ask(agent, title, "Plain text the first time, nothing to see.")).status).toBe(303);
    const thread = await t.db.thread.findFirstOrThrow({ where: { title } });
    expect(thread.holdReasons).toEqual(["the author's first post", "every patient post is reviewed"]);
    const edited = await submit(agent, `/t/${thread.id}/edit`, `/t/${thread.id}/edit`, {
      title,
      body: "Now with links: https://a.example/1 https://b.example/2",
      categoryId: cat,
      _reviewed: "as-written",
    });
    expect(edited.status).toBe(303);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).holdReasons).toEqual([
      "the author's first post",
      "2 links (the limit is 2)",
      "every patient post is reviewed",
    ]);
  });

  it("posts held before reasons were stored get them once, from the data step", async () => {
    const patient = await createUser(t.db, "patient");
    const thread = await t.db.thread.create({
      data: { title: "Held before reasons were stored", body: "Old text", categoryId: Number(cat), authorId: patient.id },
    });
    expect(thread).toMatchObject({ status: "PENDING", heldAt: null, holdReasons: [] });
    expect(await recordMissingHoldReasons(t.db)).toBeGreaterThanOrEqual(1);
    const recorded = await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(recorded.holdReasons).toEqual(["the author's first post", "every patient post is reviewed"]);
    // Once: a later run, under other settings, leaves it alone.
    expect((await save({ holdMode: "trusted", trustAfterApproved: "4" })).status).toBe(303);
    expect(await recordMissingHoldReasons(t.db)).toBe(0);
    expect((await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } })).holdReasons).toEqual(recorded.holdReasons);
  });
});

describe("one place for a hold rule", () => {
  // The one line a new rule takes (here registered by the test, through the same list the app reads).
  const pineapples: HoldRule = {
    name: "pineapples",
    check: (p) => (/pineapple/i.test(p.text) ? [{ reason: "mentions pineapples", holds: true }] : []),
  };
  afterEach(() => {
    HOLD_RULES.splice(HOLD_RULES.indexOf(pineapples), 1);
  });

  it("holds a question, a reply, an article and an edit that would have been published, with its reason", async () => {
    HOLD_RULES.push(pineapples);
    const doctor = await createUser(t.db, "physician");
    const agent = await signedIn(doctor);
    const thread = await createThread(t.db, await createUser(t.db, "patient"), { title: "Is fruit safe in the two-week wait?" });

    // A verified physician publishes at once, except what the new rule holds.
    const plain = await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body: "Most fruit is fine.", parentId: "" });
    expect(plain.status).toBe(303);
    const reply = await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "Pineapple cores are a myth for implantation.",
      parentId: "",
    });
    expect(reply.status).toBe(303);
    const replies = await t.db.reply.findMany({ where: { threadId: thread.id }, orderBy: { id: "asc" } });
    expect(replies.map((r) => r.status)).toEqual(["APPROVED", "PENDING"]);
    expect(replies[1]?.holdReasons).toEqual(["mentions pineapples"]);
    const queue = textOf((await moderator.get("/moderation?show=replies")).text);
    expect(queue).toContain("Held because: mentions pineapples.");

    const article = await submit(agent, "/articles/new", "/articles/new", {
      title: "Pineapple and implantation: what we know",
      body: "A short article on a persistent myth about fruit and embryo transfer. ".repeat(4),
      categoryId: cat,
      tags: "myths",
      references: "",
      _reviewed: "as-written",
    });
    expect(article.status).toBe(303);
    const stored = await t.db.thread.findFirstOrThrow({ where: { title: "Pineapple and implantation: what we know" } });
    expect(stored).toMatchObject({ status: "PENDING", holdReasons: ["mentions pineapples"] });

    const published = replies[0] as { id: number };
    const edit = await submit(agent, `/replies/${published.id}/edit`, `/replies/${published.id}/edit`, {
      body: "Most fruit is fine, pineapple too.",
      references: "",
      _reviewed: "as-written",
    });
    expect(edit.status).toBe(303);
    const revision = await t.db.postRevision.findFirstOrThrow({ where: { replyId: published.id, status: "PENDING" } });
    expect(revision.holdReasons).toEqual(["mentions pineapples"]);
    expect(textOf((await moderator.get("/moderation?show=edits")).text)).toContain("Held because: mentions pineapples.");
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: published.id } })).body).toBe("Most fruit is fine.");

    const patient = await signedIn(await createUser(t.db, "patient"));
    expect((await ask(patient, "Pineapple after transfer, yes or no?", "Everyone online says pineapple helps.")).status).toBe(303);
    expect((await t.db.thread.findFirstOrThrow({ where: { title: "Pineapple after transfer, yes or no?" } })).holdReasons).toContain(
      "mentions pineapples",
    );
  });

  it("a suspended member's post is refused before any rule: nothing is stored", async () => {
    HOLD_RULES.push(pineapples);
    const patient = await createUser(t.db, "patient");
    await t.db.user.update({ where: { id: patient.id }, data: { suspendedUntil: new Date(Date.now() + 86_400_000) } });
    const res = await ask(await signedIn(patient), "A suspended member's pineapple question", "Text that must not be stored.");
    expect(res.status).toBe(403);
    expect(await t.db.thread.count({ where: { authorId: patient.id } })).toBe(0);
  });
});
