// The frame around every page (issue #25): the header per role, the search box, each role's words on the
// reply form, sign-up that keeps where the person was going, times as <time>, and compressed CSS and JS.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type Persona, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";
import { confirmationPath } from "./helpers/signup.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

const signedIn = async (persona: Persona) => {
  const user = await createUser(t.db, persona);
  const agent = t.agent();
  await logIn(agent, user);
  return { user, agent };
};
const header = (html: string) => html.slice(html.indexOf('<header class="site-header">'), html.indexOf("</header>") + 9);

describe("header", () => {
  it("signed out: brand, search box, Ask a question and a menu that opens without JavaScript", async () => {
    const html = (await t.http().get("/")).text;
    const head = header(html);
    expect(head).toMatch(/<form method="get" action="\/search" class="header-search" role="search">/);
    expect(head).toContain('<input id="site-search" name="q" type="search"');
    expect(head).toContain('<a href="/ask" class="button button-small header-ask">Ask a question</a>');
    expect(head).toMatch(/<details class="site-menu[^"]*">\s*<summary>/);
    expect(textOf(head)).toContain("Sign in");
    expect(textOf(head)).toContain("Join");
    expect(head).not.toContain("/logout");
  });

  it("the search page has one full-width box, not a second one in the header", async () => {
    const html = (await t.http().get("/search?q=heparin")).text;
    expect(header(html)).not.toContain("site-search");
    expect(html.match(/type="search"/g)).toHaveLength(1);
    // Elsewhere under /search… only /search itself: a path that merely starts with it keeps the header box.
    expect(header((await t.http().get("/searches")).text)).toContain("site-search");
  });

  it("shows each role's own links, and a verified physician by the name they sign with", async () => {
    const expected: Record<Persona, { has: string[]; not: string[]; name: (u: UserFixture) => string }> = {
      patient: { has: ["Notifications", "Your account", "Sign out"], not: ["Moderation", "Inbox", "Settings"], name: (u) => u.pseudonym },
      unverifiedPhysician: { has: ["Your account"], not: ["Inbox", "Moderation"], name: (u) => u.pseudonym },
      physician: { has: ["Inbox", "Your account"], not: ["Moderation", "Settings"], name: (u) => `Dr. ${u.fullName}` },
      moderator: { has: ["Moderation"], not: ["Settings", "Inbox"], name: (u) => u.pseudonym },
      admin: { has: ["Moderation", "Settings"], not: ["Inbox"], name: (u) => u.pseudonym },
    };
    for (const [persona, want] of Object.entries(expected) as [Persona, (typeof expected)[Persona]][]) {
      const { user, agent } = await signedIn(persona);
      const head = textOf(header((await agent.get("/")).text));
      for (const link of want.has) expect(head, persona).toContain(link);
      for (const link of want.not) expect(head, persona).not.toContain(link);
      expect(head, persona).toContain(want.name(user));
      if (persona === "physician") expect(head).not.toContain(user.pseudonym);
      expect(head, persona).toContain("Ask a question");
    }
  });
});

describe("words for each role on the reply form", () => {
  it("a patient is told to stay pseudonymous; a physician that they sign with their name; staff that it is public at once", async () => {
    const asker = await createUser(t.db, "patient");
    const thread = await createThread(t.db, asker);
    const page = async (persona: Persona | "asker") => {
      const agent = t.agent();
      if (persona === "asker") await logIn(agent, asker);
      else await logIn(agent, await createUser(t.db, persona));
      return textOf((await agent.get(`/t/${thread.id}`)).text);
    };
    const patient = await page("patient");
    expect(patient).toContain("Leave a reply");
    expect(patient).toContain("Use your pseudonym only");
    expect(await page("asker")).toContain("Add a follow-up");

    const physician = await page("physician");
    expect(physician).toContain("Answer this question");
    expect(physician).toMatch(/You post as Dr\. Test Physician \d+, with your verified badge/);
    expect(physician).toContain("normally publish at once");
    expect(physician).not.toContain("Use your pseudonym only");
    expect(physician).not.toContain("Patients' replies are published after");

    for (const staff of ["moderator", "admin"] as const) {
      const text = await page(staff);
      expect(text, staff).not.toContain("Use your pseudonym only");
      expect(text, staff).toContain("Your reply is published at once.");
    }
    // An unverified physician posts like a patient, and is told so.
    expect(await page("unverifiedPhysician")).toContain("Use your pseudonym only");
  });

  it("the ask page and the account page speak to a physician as one", async () => {
    const { user, agent } = await signedIn("physician");
    const ask = textOf((await agent.get("/ask")).text);
    expect(ask).toContain(`normally publishes at once, under Dr. ${user.fullName}`);
    expect(ask).not.toContain("A moderator reviews your question first");
    expect(textOf((await agent.get("/account")).text)).toContain(`Your posts are signed Dr. ${user.fullName}`);
    const patient = await signedIn("patient");
    expect(textOf((await patient.agent.get("/ask")).text)).toContain("A moderator reviews your question first");
    expect(textOf((await patient.agent.get("/account")).text)).toContain("Shown on all your posts, old and new.");
  });

  it("under their own article a physician is not asked to 'Ask the doctor a question', nor to ask themselves", async () => {
    const author = await createUser(t.db, "physician");
    const article = await createThread(t.db, author, { kind: "ARTICLE", title: "NK-cell activation, not counts" });
    const agent = t.agent();
    await logIn(agent, author);
    const own = textOf((await agent.get(`/t/${article.id}`)).text);
    expect(own).toContain("Answer your readers");
    expect(own).not.toContain("Ask the doctor a question");
    expect(own).not.toContain("a question of your own");

    const reader = textOf((await t.http().get(`/t/${article.id}`)).text);
    expect(reader).toContain("Ask the doctor a question");
    expect(reader).toContain(`Ask Dr. ${author.fullName} a question of your own`);
  });
});

describe("sign-up keeps where the person was going", () => {
  it("the sign-in page says why, and its Join link keeps next", async () => {
    const ask = (await t.http().get("/login?next=%2Fask")).text;
    expect(textOf(ask)).toContain("Sign in to ask your question.");
    expect(ask).toContain('href="/signup?next&#x3D;%2Fask"');
    const reply = textOf((await t.http().get("/login?next=%2Ft%2F12%2Fsome-title")).text);
    expect(reply).toContain("Sign in to reply.");
    // No reason and a plain Join link when there is nowhere to go back to.
    const plain = (await t.http().get("/login")).text;
    expect(textOf(plain)).not.toContain("Sign in to");
    expect(plain).toContain('href="/signup"');
  });

  it("never carries an off-site next into the links", async () => {
    for (const next of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"]) {
      const html = (await t.http().get(`/login?next=${encodeURIComponent(next)}`)).text;
      expect(html, next).toContain('href="/signup"');
      expect(html, next).not.toContain("evil");
      expect(textOf(html), next).not.toContain("Sign in to");
      // A failed sign-in comes back with the posted next: it is checked there too.
      const failed = await submit(t.agent(), "/login", "/login", { email: "nobody@example.test", password: "wrong password", next });
      expect(failed.status, next).toBe(401);
      expect(failed.text, next).toContain('href="/signup"');
      expect(failed.text, next).not.toContain("evil");
    }
  });

  it("through sign-up, the mailed link and its confirmation, the new member lands where they were going", async () => {
    const signup = (await t.http().get("/signup?next=%2Fask")).text;
    expect(signup).toContain('<input type="hidden" name="next" value="/ask">');
    expect(signup).toContain('href="/login?next&#x3D;%2Fask"');
    const agent = t.agent();
    const email = "keeps.next@example.test";
    const sent = await submit(agent, "/signup?next=%2Fask", "/signup", {
      email,
      password: "tulips by the canal in april",
      pseudonym: "Goal Keeper",
      consent: "yes",
    });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('href="/signup?next&#x3D;%2Fask"');
    const confirmed = await submit(agent, await confirmationPath(t, email), "/signup/confirm", {});
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe("/ask");
  });

  it("an off-site next given to the sign-up form is dropped: the new member lands on the home page", async () => {
    const agent = t.agent();
    const email = "evil.next@example.test";
    await submit(agent, "/signup", "/signup", {
      email,
      password: "tulips by the canal in april",
      pseudonym: "Not Redirected",
      consent: "yes",
      next: "//evil.example/x",
    });
    const confirmed = await submit(agent, await confirmationPath(t, email), "/signup/confirm", {});
    expect(confirmed.headers.location).toBe("/");
  });
});

describe("times", () => {
  it("every time is a <time datetime> the browser localises, with UTC written in the page", async () => {
    const asker = await createUser(t.db, "patient");
    const thread = await createThread(t.db, asker);
    await createReply(t.db, await createUser(t.db, "physician"), thread.id);
    const html = (await t.http().get(`/t/${thread.id}`)).text;
    const times = [...html.matchAll(/<time datetime="([^"]+)" data-local="(date|datetime)">([^<]+)<\/time>/g)];
    expect(times.length).toBeGreaterThanOrEqual(3);
    for (const [, iso, style, text] of times) {
      expect(new Date(iso as string).toISOString()).toBe(iso);
      if (style === "datetime") expect(text).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d UTC$/);
    }
    // No date is printed outside a <time> element.
    const outside = html.replace(/<time[\s\S]*?<\/time>/g, "");
    expect(outside).not.toMatch(/\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}/);
  });
});

describe("CSS and JS are sent compressed", () => {
  const assetUrls = async () => {
    const html = (await t.http().get("/")).text;
    return [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+\.(?:css|js))"/g)].map((m) => m[1] as string);
  };

  it("brotli when asked for, gzip otherwise, as they are when neither; always with Vary and a year's immutable cache", async () => {
    const urls = await assetUrls();
    expect(urls.length).toBe(2);
    for (const url of urls) {
      const plain = await fetchRaw(url, "identity");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      const original = plain.body;

      const br = await fetchRaw(url, "gzip, deflate, br");
      expect(br.headers["content-encoding"]).toBe("br");
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
      expect(br.body.length).toBeLessThan(original.length / 2);

      const gz = await fetchRaw(url, "gzip");
      expect(gz.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(gz.body).equals(original)).toBe(true);

      const refused = await fetchRaw(url, "br;q=0, gzip;q=0");
      expect(refused.headers["content-encoding"]).toBeUndefined();
    }
  });

  it("an unknown asset is a 404, not a file", async () => {
    const res = await t.http().get("/assets/styles.0000000000.css").set("accept-encoding", "br");
    expect(res.status).toBe(404);
    expect(res.headers["content-encoding"]).toBeUndefined();
  });
});

/** The bytes as sent (Fastify's inject decodes nothing), with the headers. */
async function fetchRaw(url: string, acceptEncoding: string) {
  const res = await t.app.inject({ method: "GET", url, headers: { "accept-encoding": acceptEncoding } });
  return { headers: res.headers, body: res.rawPayload };
}
