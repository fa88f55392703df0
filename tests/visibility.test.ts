// Who sees a pending or rejected post: in the thread, in lists, and by its URL, for each kind of viewer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recountThreads } from "../src/threads/service.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type Persona, type UserFixture } from "./helpers/factories.ts";
import { logIn } from "./helpers/http.ts";

let t: TestApp;
let author: UserFixture;
const viewers: Partial<Record<Persona | "reader" | "author", ReturnType<TestApp["agent"]>>> = {};
let publicThreadUrl: string;
let pendingThreadUrl: string;
let rejectedThreadUrl: string;

beforeAll(async () => {
  t = await buildTestApp();
  author = await createUser(t.db, "patient");
  const publicThread = await createThread(t.db, author, { title: "An approved question about NK cells" });
  const pending = await createThread(t.db, author, { title: "A pending question nobody else sees", status: "PENDING" });
  const rejected = await createThread(t.db, author, {
    title: "A rejected question with a reason",
    status: "REJECTED",
    moderationReason: "Contains identifying details",
  });
  await createReply(t.db, author, publicThread.id, { body: "PENDING-REPLY-TEXT", status: "PENDING" });
  await createReply(t.db, author, publicThread.id, { body: "REJECTED-REPLY-TEXT", status: "REJECTED" });
  await createReply(t.db, author, publicThread.id, { body: "APPROVED-REPLY-TEXT" });
  await recountThreads(t.db);
  publicThreadUrl = `/t/${publicThread.id}`;
  pendingThreadUrl = `/t/${pending.id}`;
  rejectedThreadUrl = `/t/${rejected.id}`;

  viewers.reader = t.agent();
  viewers.author = t.agent();
  await logIn(viewers.author, author);
  for (const persona of ["patient", "unverifiedPhysician", "physician", "moderator", "admin"] as const) {
    const agent = t.agent();
    await logIn(agent, await createUser(t.db, persona));
    viewers[persona] = agent;
  }
});
afterAll(() => t.close());

// Expected: can this viewer see unpublished posts (their own, or as staff)?
const cases: [keyof typeof viewers, boolean][] = [
  ["reader", false],
  ["patient", false],
  ["unverifiedPhysician", false],
  ["physician", false],
  ["author", true],
  ["moderator", true],
  ["admin", true],
];

describe.each(cases)("viewer %s", (who, seesUnpublished) => {
  it(`${seesUnpublished ? "sees" : "does not see"} pending and rejected replies in the thread`, async () => {
    const page = await viewers[who]?.get(publicThreadUrl);
    expect(page?.status).toBe(200);
    expect(page?.text).toContain("APPROVED-REPLY-TEXT");
    expect(page?.text.includes("PENDING-REPLY-TEXT")).toBe(seesUnpublished);
    expect(page?.text.includes("REJECTED-REPLY-TEXT")).toBe(seesUnpublished);
    expect(page?.text.includes("Awaiting moderation")).toBe(seesUnpublished);
  });

  it(`${seesUnpublished ? "can" : "cannot"} open pending and rejected threads by URL`, async () => {
    const pending = await viewers[who]?.get(pendingThreadUrl);
    const rejected = await viewers[who]?.get(rejectedThreadUrl);
    expect(pending?.status).toBe(seesUnpublished ? 200 : 404);
    expect(rejected?.status).toBe(seesUnpublished ? 200 : 404);
    if (!seesUnpublished) {
      expect(pending?.text).not.toContain("A pending question nobody else sees");
      expect(rejected?.text).not.toContain("A rejected question");
    } else {
      expect(rejected?.text).toContain("Contains identifying details");
    }
  });

  it("never finds unpublished threads in the home page or category lists", async () => {
    for (const url of ["/", "/c/recurrent-pregnancy-loss", "/c/recurrent-pregnancy-loss?page=2"]) {
      const page = await viewers[who]?.get(url);
      expect(page?.status).toBe(200);
      expect(page?.text).not.toContain("A pending question nobody else sees");
      expect(page?.text).not.toContain("A rejected question with a reason");
    }
    const category = await viewers[who]?.get("/c/recurrent-pregnancy-loss");
    expect(category?.text).toContain("An approved question about NK cells");
  });
});

describe("counts", () => {
  it("count only approved replies", async () => {
    const page = await t.http().get(publicThreadUrl);
    expect(page.text).toContain('<span class="count">(1)</span>');
  });
});
