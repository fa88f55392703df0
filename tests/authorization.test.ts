// The authorization matrix: every kind of user against every action. Each cell is the outcome a person gets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createThread, createUser, type Persona, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn } from "./helpers/http.ts";

type Who = "reader" | Persona;
const PEOPLE: Who[] = ["reader", "patient", "unverifiedPhysician", "physician", "moderator", "admin"];

let t: TestApp;
let owner: UserFixture;
const agents = new Map<Who, ReturnType<TestApp["agent"]>>();

beforeAll(async () => {
  t = await buildTestApp();
  owner = await createUser(t.db, "patient");
  for (const who of PEOPLE) {
    const agent = t.agent();
    if (who !== "reader") await logIn(agent, await createUser(t.db, who));
    agents.set(who, agent);
  }
});
afterAll(() => t.close());

async function post(who: Who, action: string, fields: Record<string, string>) {
  const agent = agents.get(who);
  if (!agent) throw new Error(who);
  // The token first: the agent attaches cookies when the request is created.
  const page = await agent.get("/");
  const token = csrfFrom(page.text.includes("_csrf") ? page.text : (await agent.get("/login")).text);
  return agent
    .post(action)
    .type("form")
    .send({ _csrf: token, ...fields });
}

// outcome: "published" (public at once), "queued" (pending review), "login" (must sign in), "join" (asked to
// sign up, the text kept), "forbidden".
const matrix: Record<string, Record<Who, string>> = {
  "ask a question": {
    reader: "join",
    patient: "queued",
    unverifiedPhysician: "queued",
    physician: "published",
    moderator: "published",
    admin: "published",
  },
  "reply to a thread": {
    reader: "login",
    patient: "queued",
    unverifiedPhysician: "queued",
    physician: "published",
    moderator: "published",
    admin: "published",
  },
  "open the moderation queue": {
    reader: "login",
    patient: "forbidden",
    unverifiedPhysician: "forbidden",
    physician: "forbidden",
    moderator: "allowed",
    admin: "allowed",
  },
  "approve a post": {
    reader: "login",
    patient: "forbidden",
    unverifiedPhysician: "forbidden",
    physician: "forbidden",
    moderator: "allowed",
    admin: "allowed",
  },
  "reject a post": {
    reader: "login",
    patient: "forbidden",
    unverifiedPhysician: "forbidden",
    physician: "forbidden",
    moderator: "allowed",
    admin: "allowed",
  },
  "verify a physician": {
    reader: "login",
    patient: "forbidden",
    unverifiedPhysician: "forbidden",
    physician: "forbidden",
    moderator: "allowed",
    admin: "allowed",
  },
  "see the account page": {
    reader: "login",
    patient: "allowed",
    unverifiedPhysician: "allowed",
    physician: "allowed",
    moderator: "allowed",
    admin: "allowed",
  },
};

describe.each(PEOPLE)("%s", (who) => {
  it(`ask a question → ${matrix["ask a question"]?.[who]}`, async () => {
    const res = await post(who, "/ask", {
      title: `A question from ${who} here`,
      body: "Enough words for a valid question body.",
      categoryId: String(await categoryId(t.db)),
    });
    const expected = matrix["ask a question"]?.[who];
    if (expected === "join") {
      // Asked to join, with the question kept in the form; nothing is posted until the address is confirmed.
      expect(res.status).toBe(200);
      expect(res.text).toContain(`A question from ${who} here`);
      expect(await t.db.thread.count({ where: { title: `A question from ${who} here` } })).toBe(0);
      return;
    }
    expect(res.status).toBe(303);
    const thread = await t.db.thread.findFirstOrThrow({ where: { title: `A question from ${who} here` } });
    expect(thread.status).toBe(expected === "published" ? "APPROVED" : "PENDING");
  });

  it(`reply to a thread → ${matrix["reply to a thread"]?.[who]}`, async () => {
    const thread = await createThread(t.db, owner);
    const res = await post(who, `/t/${thread.id}/replies`, { body: `Reply from ${who}`, parentId: "" });
    const expected = matrix["reply to a thread"]?.[who];
    if (expected === "login") {
      expect(res.status).toBe(401);
      expect(await t.db.reply.count({ where: { threadId: thread.id } })).toBe(0);
      return;
    }
    expect(res.status).toBe(303);
    const reply = await t.db.reply.findFirstOrThrow({ where: { threadId: thread.id } });
    expect(reply.status).toBe(expected === "published" ? "APPROVED" : "PENDING");
  });

  it(`open the moderation queue → ${matrix["open the moderation queue"]?.[who]}`, async () => {
    const res = await agents.get(who)?.get("/moderation");
    const expected = matrix["open the moderation queue"]?.[who];
    if (expected === "login") expect(res?.headers.location).toBe("/login?next=%2Fmoderation");
    else expect(res?.status).toBe(expected === "allowed" ? 200 : 403);
  });

  for (const [action, decision, target] of [
    ["approve a post", "approve", "threads"],
    ["reject a post", "reject", "threads"],
    ["verify a physician", "approve", "applications"],
  ] as const) {
    it(`${action} → ${matrix[action]?.[who]}`, async () => {
      let id: number;
      if (target === "threads") id = (await createThread(t.db, owner, { status: "PENDING" })).id;
      else {
        const applicant = await createUser(t.db, "unverifiedPhysician");
        id = (await t.db.physicianProfile.findUniqueOrThrow({ where: { userId: applicant.id } })).id;
      }
      const res = await post(
        who,
        `/moderation/${target}/${id}/${decision}`,
        decision === "reject"
          ? { reason: "Off-topic for Curbside", note: "" }
          : target === "applications"
            ? {
                registryName: "Testland register",
                registryReference: "T-1",
                checkedOn: "2026-11-01",
                reverifyBy: `${new Date().getUTCFullYear() + 1}-01-01`,
              }
            : {},
      );
      const expected = matrix[action]?.[who];
      const status =
        target === "threads"
          ? (await t.db.thread.findUniqueOrThrow({ where: { id } })).status
          : (await t.db.physicianProfile.findUniqueOrThrow({ where: { id } })).status;
      if (expected === "allowed") {
        expect(res.status).toBe(303);
        expect(status).toBe(decision === "reject" ? "REJECTED" : target === "threads" ? "APPROVED" : "VERIFIED");
        expect(await t.db.moderationLog.count({ where: { targetId: String(id) } })).toBeGreaterThan(0);
      } else {
        expect(res.status).toBe(expected === "login" ? 401 : 403);
        expect(status).toBe("PENDING");
      }
    });
  }

  it(`see the account page → ${matrix["see the account page"]?.[who]}`, async () => {
    const res = await agents.get(who)?.get("/account");
    if (matrix["see the account page"]?.[who] === "login") expect(res?.headers.location).toBe("/login?next=%2Faccount");
    else expect(res?.status).toBe(200);
  });
});
