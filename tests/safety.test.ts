// Emergency guidance and the identifying-detail guard on the server: they work with JavaScript off, keep
// the text, never block the post, and flag it for moderators.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createThread, createUser } from "./helpers/factories.ts";
import { byId, parseHtml, textContent } from "./helpers/html.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let patient: ReturnType<TestApp["agent"]>;
let moderator: ReturnType<TestApp["agent"]>;
let cat: string;

beforeAll(async () => {
  t = await buildTestApp();
  patient = t.agent();
  await logIn(patient, await createUser(t.db));
  moderator = t.agent();
  await logIn(moderator, await createUser(t.db, "moderator"));
  cat = String(await categoryId(t.db));
});
afterAll(() => t.close());

describe("emergency guidance", () => {
  it("shows guidance before the post is sent, keeps the text, then posts it as urgent", async () => {
    const fields = {
      title: "Bleeding at seven weeks, is this normal?",
      body: "Since an hour there is heavy bleeding with clots and I feel dizzy.",
      categoryId: cat,
    };
    const first = await submit(patient, "/ask", "/ask", fields);
    expect(first.status).toBe(200);
    const text = textOf(first.text);
    expect(text).toContain("If this is happening now, get help now");
    expect(text).toContain("Heavy bleeding");
    expect(text).toContain("Call your local emergency number");
    expect(await t.db.thread.count({ where: { title: fields.title } })).toBe(0);
    const textarea = byId(parseHtml(first.text), "body");
    expect(textarea && textContent(textarea)).toBe(fields.body);

    const second = await submit(patient, "/ask", "/ask", { ...fields, _reviewed: "as-written" });
    expect(second.status).toBe(303);
    const thread = await t.db.thread.findFirstOrThrow({ where: { title: fields.title } });
    expect(thread.urgent).toBe(true);
    expect(thread.body).toBe(fields.body);

    // First in the queue, tagged urgent, even though an older item waits.
    const queue = (await moderator.get("/moderation")).text;
    const items = [...queue.matchAll(/id="threads-(\d+)"/g)].map((m) => Number(m[1]));
    expect(items[0]).toBe(thread.id);
    expect(textOf(queue)).toContain("Urgent");
    expect(queue).toContain('<mark class="flag-emergency"');
  });

  it("adds the crisis message for thoughts of self-harm", async () => {
    const thread = await createThread(t.db, await createUser(t.db));
    const res = await submit(patient, `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "Honestly some nights I want to die.",
      parentId: "",
    });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("If you are thinking about suicide or about harming yourself");
  });

  it("stays quiet for a negated or past sign", async () => {
    const thread = await createThread(t.db, await createUser(t.db));
    for (const body of ["There was no bleeding at all.", "My bleeding stopped last week, thankfully."]) {
      const res = await submit(patient, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body, parentId: "" });
      expect(res.status, body).toBe(303);
      expect((await t.db.reply.findFirstOrThrow({ where: { body } })).urgent).toBe(false);
    }
  });
});

describe("identifying details", () => {
  it("warns, offers removal, and removes only what it found", async () => {
    const body = "You can email me at rose.garden@example.org or call 020 7946 0958. My NK cells were 14%.";
    const first = await submit(patient, "/ask", "/ask", { title: "Who can I talk to about NK results?", body, categoryId: cat });
    expect(first.status).toBe(200);
    const text = textOf(first.text);
    expect(text).toContain("This could identify you");
    expect(text).toContain("an email address: rose.garden@example.org");
    expect(text).toContain("a phone number: 020 7946 0958");
    expect(first.text).toContain('name="_reviewed" value="remove"');

    const removed = await submit(patient, "/ask", "/ask", {
      title: "Who can I talk to about NK results?",
      body,
      categoryId: cat,
      _reviewed: "remove",
    });
    expect(removed.status).toBe(303);
    const thread = await t.db.thread.findFirstOrThrow({ where: { title: "Who can I talk to about NK results?" } });
    expect(thread.body).toBe("You can email me at [removed] or call [removed]. My NK cells were 14%.");
  });

  it("posts as written when the author chooses, and moderators see the highlights", async () => {
    const thread = await createThread(t.db, await createUser(t.db));
    const body = "I'm at instagram.com/rose_ttc if anyone wants to talk.";
    const res = await submit(patient, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body, parentId: "", _reviewed: "as-written" });
    expect(res.status).toBe(303);
    expect(await t.db.reply.count({ where: { body } })).toBe(1);
    const queue = (await moderator.get("/moderation")).text;
    expect(queue).toContain('<mark class="flag-identifying" title="Possibly identifying">instagram.com/rose_ttc</mark>');
  });

  it("checks edits too", async () => {
    const user = await createUser(t.db);
    const agent = t.agent();
    await logIn(agent, user);
    const thread = await createThread(t.db, user, { status: "PENDING" });
    const res = await submit(agent, `/t/${thread.id}/edit`, `/t/${thread.id}/edit`, {
      title: "My date of birth question",
      body: "I was born on 12/03/1988 and wonder about age.",
      categoryId: cat,
    });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("a date of birth");
  });

  it("serves the browser the guard built from the server's own modules, and the verified physicians", async () => {
    const physician = await createUser(t.db, "physician");
    const profile = await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: physician.id } });
    const res = await t.http().get("/safety-rules.json");
    expect(res.status).toBe(200);
    expect(res.body.guard).toMatch(/^\/assets\/safety-guard\.[0-9a-f]{10}\.js$/);
    expect(res.body.physicians).toContain(profile.fullName);
    const script = await t.http().get(res.body.guard);
    expect(script.status).toBe(200);
    expect(script.headers["cache-control"]).toContain("immutable");
    expect(script.text).toContain("CurbsideSafety");
    expect((await t.http().get("/assets/safety-guard.0123456789.js")).status).toBe(404);
  });
});

describe("after posting with emergency signs", () => {
  it("shows the author get-help-now guidance before the wait on their pending post, and nobody else", async () => {
    const fields = {
      title: "Waters at 31 weeks",
      body: "I think my waters have broken and I'm only 31 weeks, the baby hasn't moved since last night.",
      categoryId: cat,
      _reviewed: "as-written",
    };
    const res = await submit(patient, "/ask", "/ask", fields);
    expect(res.status).toBe(303);
    const page = textOf((await patient.get(res.headers.location as string)).text);
    expect(page).toContain("If this is happening now, get help now");
    expect(page).toContain("Your waters breaking");
    expect(page.indexOf("get help now")).toBeLessThan(page.indexOf("Awaiting moderation"));
    const theirs = textOf((await moderator.get(res.headers.location as string)).text);
    expect(theirs).not.toContain("Your post mentions");
  });

  it("shows no such guidance on a calm pending post", async () => {
    const fields = { title: "TSH question", body: "My TSH was 2.1 and my clinic wants it under 2.5.", categoryId: cat };
    const res = await submit(patient, "/ask", "/ask", fields);
    expect(res.status).toBe(303);
    const page = textOf((await patient.get(res.headers.location as string)).text);
    expect(page).toContain("Awaiting moderation");
    expect(page).not.toContain("get help now");
  });
});

describe("moderators' highlights", () => {
  it("marks what was found, and in a second colour what might identify someone", async () => {
    const body = "I'm Zephyrine Quillfeather and my reference is 98765432 at the clinic, call me on 07700 900123.";
    const thread = await createThread(t.db, await createUser(t.db), { status: "PENDING", title: "Highlights", body });
    const queue = (await moderator.get("/moderation")).text;
    expect(queue).toContain('<mark class="flag-identifying" title="Possibly identifying">07700 900123</mark>');
    expect(queue).toContain('class="flag-possible"');
    expect(queue).toMatch(/<mark class="flag-possible"[^>]*>98765432<\/mark>/);
    expect(thread.id).toBeGreaterThan(0);
  });

  it("leaves a verified physician on Curbside unmarked, and marks a doctor who is not one", async () => {
    await createUser(t.db, "physician", { fullName: "Ottoline Bramblewick" });
    const body = "Dr. Ottoline Bramblewick answered me here, but Dr. Peregrine Snodgrass at my clinic disagreed.";
    await createThread(t.db, await createUser(t.db), { status: "PENDING", title: "Two doctors", body });
    const queue = (await moderator.get("/moderation?show=questions")).text;
    expect(queue).toMatch(/<mark class="flag-(?:possible|identifying)"[^>]*>(?:Dr\. )?Peregrine Snodgrass<\/mark>/);
    expect(queue).toContain("Dr. Ottoline Bramblewick answered me");
    expect(queue).not.toMatch(/<mark[^>]*>(?:Dr\. )?Ottoline/);
  });
});
