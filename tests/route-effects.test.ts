// What the routes that change things actually change. route-matrix.test.ts holds every route to its status code
// for every kind of person; this file holds the routes that write to what they do: a refused request (the right
// CSRF token, the wrong person) changes no table at all, and an allowed one does what it says and sends the person
// where its 303 says. The moderator's routes are tried with every kind of item they take (threads, replies,
// physicians' applications, edits), not only threads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createReply, createThread, createUser, type Persona, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn } from "./helpers/http.ts";
import { changedTables, tableDigests } from "./helpers/snapshot.ts";

type Who = "reader" | "owner" | Persona;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

interface Cell {
  agent: ReturnType<TestApp["agent"]>;
  token: string;
  user: UserFixture | null;
  /** Whose content the route acts on. */
  owner: UserFixture;
}

async function cell(who: Who): Promise<Cell> {
  const owner = await createUser(t.db, "patient");
  const agent = t.agent();
  const user = who === "owner" ? owner : who === "reader" ? null : await createUser(t.db, who);
  if (user) await logIn(agent, user);
  const page = await agent.get(user ? "/account" : "/login");
  return { agent, token: csrfFrom(page.text), user, owner };
}

interface Case {
  /** The one who may: their request must do what `check` says and answer 303 to `location`. */
  allowed: Who;
  /** Those who may not: their request, token and all, must change nothing. */
  refused: Who[];
  /** The request, and what the allowed request must have done (read from the database). */
  setup(c: Cell): Promise<{ path: string; fields: Record<string, string>; check(c: Cell, location: string): Promise<void> }>;
  location: RegExp;
}

const NOT_STAFF: Who[] = ["reader", "owner", "patient", "physician"];

const pendingThread = (c: Cell) => createThread(t.db, c.owner, { status: "PENDING" });
const pendingReply = async (c: Cell) => createReply(t.db, c.owner, (await createThread(t.db, c.owner)).id, { status: "PENDING" });
const publishedReply = async (c: Cell) => createReply(t.db, c.owner, (await createThread(t.db, c.owner)).id);
const application = async () => {
  const u = await createUser(t.db, "unverifiedPhysician");
  return t.db.physicianProfile.findUniqueOrThrow({ where: { userId: u.id } });
};
/** An edit of the owner's published reply, awaiting review. */
const pendingEdit = async (c: Cell) => {
  const reply = await publishedReply(c);
  const revision = await t.db.postRevision.create({
    data: { replyId: reply.id, editorId: c.owner.id, body: "The edited text of a published reply.", status: "PENDING" },
  });
  return { reply, revision };
};
const thread = (id: number) => t.db.thread.findUniqueOrThrow({ where: { id } });
const reply = (id: number) => t.db.reply.findUniqueOrThrow({ where: { id } });
const moderatorId = (c: Cell) => (c.user as UserFixture).id;
const REJECT = { reason: "Off-topic for Curbside", note: "" };
const HIDE = { reason: "Spam or advertising", note: "" };
const today = () => new Date().toISOString().slice(0, 10);

const CASES: Record<string, Case> = {
  "approve a question": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=approved$/,
    setup: async (c) => {
      const { id } = await pendingThread(c);
      return {
        path: `/moderation/threads/${id}/approve`,
        fields: {},
        check: async () => expect((await thread(id)).status).toBe("APPROVED"),
      };
    },
  },
  "approve a reply": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=approved$/,
    setup: async (c) => {
      const { id } = await pendingReply(c);
      return {
        path: `/moderation/replies/${id}/approve`,
        fields: {},
        check: async () => expect((await reply(id)).status).toBe("APPROVED"),
      };
    },
  },
  "verify a physician's application": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=verified$/,
    setup: async () => {
      const profile = await application();
      return {
        path: `/moderation/applications/${profile.id}/approve`,
        fields: { registryName: "Testland Medical Register", registryReference: "TMR-1", checkedOn: today(), reverifyBy: "2030-01-01" },
        check: async () => {
          const after = await t.db.physicianProfile.findUniqueOrThrow({ where: { id: profile.id } });
          expect(after.status).toBe("VERIFIED");
          expect(after.registryReference).toBe("TMR-1");
        },
      };
    },
  },
  "approve an edit": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=edit-approved$/,
    setup: async (c) => {
      const { reply: r, revision } = await pendingEdit(c);
      return {
        path: `/moderation/edits/${revision.id}/approve`,
        fields: {},
        check: async () => {
          expect((await t.db.postRevision.findUniqueOrThrow({ where: { id: revision.id } })).status).toBe("APPROVED");
          expect((await reply(r.id)).body).toBe("The edited text of a published reply.");
        },
      };
    },
  },
  "reject a question": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=rejected$/,
    setup: async (c) => {
      const { id } = await pendingThread(c);
      return {
        path: `/moderation/threads/${id}/reject`,
        fields: REJECT,
        check: async () => expect(await thread(id)).toMatchObject({ status: "REJECTED", moderationReason: REJECT.reason }),
      };
    },
  },
  "reject a reply": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=rejected$/,
    setup: async (c) => {
      const { id } = await pendingReply(c);
      return {
        path: `/moderation/replies/${id}/reject`,
        fields: REJECT,
        check: async () => expect(await reply(id)).toMatchObject({ status: "REJECTED", moderationReason: REJECT.reason }),
      };
    },
  },
  "reject a physician's application": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=rejected$/,
    setup: async () => {
      const profile = await application();
      return {
        path: `/moderation/applications/${profile.id}/reject`,
        fields: { reason: "Not a physician", note: "" },
        check: async () =>
          expect(await t.db.physicianProfile.findUniqueOrThrow({ where: { id: profile.id } })).toMatchObject({
            status: "REJECTED",
            reviewReason: "Not a physician",
          }),
      };
    },
  },
  "reject an edit": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=edit-rejected$/,
    setup: async (c) => {
      const { reply: r, revision } = await pendingEdit(c);
      return {
        path: `/moderation/edits/${revision.id}/reject`,
        fields: REJECT,
        check: async () => {
          expect(await t.db.postRevision.findUniqueOrThrow({ where: { id: revision.id } })).toMatchObject({
            status: "REJECTED",
            reason: REJECT.reason,
          });
          expect((await reply(r.id)).body).toBe(r.body);
        },
      };
    },
  },
  "hide a question": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=hidden$/,
    setup: async (c) => {
      const { id } = await createThread(t.db, c.owner);
      return { path: `/moderation/threads/${id}/hide`, fields: HIDE, check: async () => expect((await thread(id)).status).toBe("HIDDEN") };
    },
  },
  "hide a reply": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=hidden$/,
    setup: async (c) => {
      const { id } = await publishedReply(c);
      return { path: `/moderation/replies/${id}/hide`, fields: HIDE, check: async () => expect((await reply(id)).status).toBe("HIDDEN") };
    },
  },
  "request changes to a reply": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=changes$/,
    setup: async (c) => {
      const { id } = await pendingReply(c);
      return {
        path: `/moderation/replies/${id}/request-changes`,
        fields: { note: "Please remove your clinic's name." },
        check: async () => {
          const after = await reply(id);
          expect(after.status).toBe("PENDING");
          expect(after.changesRequestedAt).not.toBeNull();
          expect(after.moderationNote).toBe("Please remove your clinic's name.");
        },
      };
    },
  },
  "claim a reply": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation#replies-\d+$/,
    setup: async (c) => {
      const { id } = await pendingReply(c);
      return {
        path: `/moderation/replies/${id}/claim`,
        fields: {},
        check: async (cc, location) => {
          expect((await reply(id)).claimedById).toBe(moderatorId(cc));
          expect(location).toBe(`/moderation#replies-${id}`);
        },
      };
    },
  },
  "release a reply": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation#replies-\d+$/,
    setup: async (c) => {
      const { id } = await pendingReply(c);
      // Claimed by the moderator in the allowed cell; by another moderator for the refused ones.
      const claimer = c.user?.persona === "moderator" ? c.user.id : (await createUser(t.db, "moderator")).id;
      await t.db.reply.update({ where: { id }, data: { claimedById: claimer, claimedAt: new Date() } });
      return { path: `/moderation/replies/${id}/release`, fields: {}, check: async () => expect((await reply(id)).claimedById).toBeNull() };
    },
  },
  "dismiss the reports on a reply": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=dismissed$/,
    setup: async (c) => {
      const { id } = await publishedReply(c);
      const flag = await t.db.flag.create({ data: { reporterId: (await createUser(t.db)).id, replyId: id, reason: "SPAM" } });
      return {
        path: `/moderation/replies/${id}/dismiss-flags`,
        fields: {},
        check: async (cc) =>
          expect(await t.db.flag.findUniqueOrThrow({ where: { id: flag.id } })).toMatchObject({
            status: "DISMISSED",
            resolvedById: moderatorId(cc),
          }),
      };
    },
  },
  "reverse the rejection of a reply": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\/log\?notice=reversed$/,
    setup: async (c) => {
      const { id } = await createReply(t.db, c.owner, (await createThread(t.db, c.owner)).id, { status: "REJECTED" });
      return {
        path: `/moderation/replies/${id}/reverse`,
        fields: { note: "Rejected by mistake" },
        check: async () => expect((await reply(id)).status).toBe("APPROVED"),
      };
    },
  },
  "redact a reply": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=redacted$/,
    setup: async (c) => {
      const { id } = await publishedReply(c);
      return {
        path: `/moderation/replies/${id}/redact`,
        fields: { body: "A reply with a clinic's name [removed].", note: "Removed a clinic's name" },
        check: async () => expect((await reply(id)).body).toBe("A reply with a clinic's name [removed]."),
      };
    },
  },
  "redact an edit awaiting review": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/moderation\?notice=redacted$/,
    setup: async (c) => {
      const { revision } = await pendingEdit(c);
      return {
        path: `/moderation/edits/${revision.id}/redact`,
        fields: { body: "The edited text, with a name [removed].", note: "Removed a name" },
        check: async () =>
          expect(
            await t.db.postRevision.count({ where: { replyId: revision.replyId, body: "The edited text, with a name [removed]." } }),
          ).toBeGreaterThan(0),
      };
    },
  },
  "lock a thread": {
    allowed: "moderator",
    refused: NOT_STAFF,
    location: /^\/t\/\d+$/,
    setup: async (c) => {
      const { id } = await createThread(t.db, c.owner);
      return {
        path: `/moderation/threads/${id}/lock`,
        fields: {},
        check: async (_cc, location) => {
          expect((await thread(id)).lockedAt).not.toBeNull();
          expect(location).toBe(`/t/${id}`);
        },
      };
    },
  },
  "reply to a question": {
    allowed: "patient",
    refused: ["reader"],
    location: /^\/t\/\d+\/[a-z0-9-]+#reply-\d+$/,
    setup: async (c) => {
      const { id } = await createThread(t.db, c.owner);
      return {
        path: `/t/${id}/replies`,
        fields: { body: "A reply the route effects test sends.", parentId: "" },
        check: async (cc, location) => {
          const made = await t.db.reply.findFirstOrThrow({ where: { threadId: id, authorId: (cc.user as UserFixture).id } });
          expect(made.body).toBe("A reply the route effects test sends.");
          expect(location).toMatch(new RegExp(`^/t/${id}/.*#reply-${made.id}$`));
        },
      };
    },
  },
  "ask a question": {
    allowed: "patient",
    // A reader is not refused but asked to join, the question kept until the address is confirmed
    // (#23: tests/signup.test.ts and the authorization matrix).
    refused: [],
    location: /^\/t\/\d+$/,
    setup: async () => ({
      path: "/ask",
      fields: {
        title: "A question the effects test asks",
        body: "A body long enough for a question.",
        categoryId: String(await categoryId(t.db)),
      },
      check: async (cc, location) => {
        const made = await t.db.thread.findFirstOrThrow({ where: { authorId: (cc.user as UserFixture).id } });
        expect(made).toMatchObject({ title: "A question the effects test asks", status: "PENDING" });
        expect(location).toBe(`/t/${made.id}`);
      },
    }),
  },
  "follow a thread": {
    allowed: "patient",
    refused: ["reader"],
    location: /^\/t\/\d+/,
    setup: async (c) => {
      const { id } = await createThread(t.db, c.owner);
      return {
        path: `/t/${id}/follow`,
        fields: { follow: "on" },
        check: async (cc) =>
          expect(await t.db.threadSubscription.count({ where: { threadId: id, userId: (cc.user as UserFixture).id } })).toBe(1),
      };
    },
  },
  "mark an answer helpful": {
    allowed: "patient",
    refused: ["reader", "physician", "moderator"],
    location: /^\/t\/\d+.*#reply-\d+$/,
    setup: async (c) => {
      const answer = await createReply(t.db, await createUser(t.db, "physician"), (await createThread(t.db, c.owner)).id);
      return {
        path: `/replies/${answer.id}/helpful`,
        fields: { on: "yes" },
        check: async (cc) => {
          expect(await t.db.helpfulMark.count({ where: { replyId: answer.id, userId: (cc.user as UserFixture).id } })).toBe(1);
          expect((await reply(answer.id)).helpfulCount).toBe(1);
        },
      };
    },
  },
  "agree with an answer": {
    allowed: "physician",
    refused: ["reader", "patient", "unverifiedPhysician", "moderator"],
    location: /^\/t\/\d+.*#reply-\d+$/,
    setup: async (c) => {
      const answer = await createReply(t.db, await createUser(t.db, "physician"), (await createThread(t.db, c.owner)).id);
      return {
        path: `/replies/${answer.id}/agree`,
        fields: { on: "yes" },
        check: async (cc) =>
          expect(await t.db.agreement.count({ where: { replyId: answer.id, userId: (cc.user as UserFixture).id } })).toBe(1),
      };
    },
  },
  "accept an answer": {
    allowed: "owner",
    refused: ["reader", "patient", "physician", "moderator"],
    location: /^\/t\/\d+.*#reply-\d+$/,
    setup: async (c) => {
      const answer = await createReply(t.db, await createUser(t.db, "physician"), (await createThread(t.db, c.owner)).id);
      return {
        path: `/replies/${answer.id}/accept`,
        fields: { on: "yes" },
        check: async () => expect((await reply(answer.id)).acceptedAt).not.toBeNull(),
      };
    },
  },
  "withdraw a question": {
    allowed: "owner",
    refused: ["reader", "patient", "physician", "moderator"],
    location: /^\/t\/\d+\/question-withdrawn-by-its-author$/,
    setup: async (c) => {
      const { id } = await createThread(t.db, c.owner);
      return {
        path: `/t/${id}/withdraw`,
        fields: { confirm: "withdraw" },
        check: async () => expect((await thread(id)).withdrawnAt).not.toBeNull(),
      };
    },
  },
  "dismiss a question from the physician's inbox": {
    allowed: "physician",
    refused: ["reader", "patient", "moderator"],
    location: /^\/inbox\?notice=dismissed$/,
    setup: async (c) => {
      const { id } = await createThread(t.db, c.owner);
      return {
        path: `/inbox/${id}/not-for-me`,
        fields: {},
        check: async (cc) =>
          expect(await t.db.inboxDismissal.count({ where: { threadId: id, userId: (cc.user as UserFixture).id } })).toBe(1),
      };
    },
  },
};

describe("a refused request changes nothing", () => {
  const cases = Object.entries(CASES).flatMap(([name, spec]) => spec.refused.map((who) => [name, who, spec] as const));
  it.each(cases)("%s, as %s", async (_name, who, spec) => {
    const c = await cell(who);
    const { path, fields } = await spec.setup(c);
    const before = await tableDigests(t.db);
    const res = await c.agent
      .post(path)
      .type("form")
      .send({ _csrf: c.token, ...fields });
    // Refused: told to sign in (401, or 303 to the sign-in page), not allowed (403), or not found for them (404).
    if (res.status === 303 || res.status === 302) expect(res.headers.location).toMatch(/^\/login/);
    else expect([401, 403, 404]).toContain(res.status);
    expect(changedTables(before, await tableDigests(t.db)), `changed by ${path}`).toEqual([]);
  });
});

describe("an allowed request does what it says", () => {
  it.each(Object.entries(CASES))("%s", async (_name, spec) => {
    const c = await cell(spec.allowed);
    const { path, fields, check } = await spec.setup(c);
    const res = await c.agent
      .post(path)
      .type("form")
      .send({ _csrf: c.token, ...fields });
    expect(res.status, res.status === 303 ? "" : res.text.slice(0, 2000)).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(spec.location);
    await check(c, location);
    // Where it sends the person exists and shows them the page.
    expect((await c.agent.get(location.split("#")[0] as string)).status).toBe(200);
  });
});
