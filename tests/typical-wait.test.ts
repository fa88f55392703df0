// The typical wait for a moderator's decision, measured from the real queue (the median over the last 30 days),
// shown in the same words on the thread, edit and account pages; and each post state by its name.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The first request of a file builds the app's views; on a loaded machine that alone took over 20 s.
vi.setConfig({ testTimeout: 120_000 });

import { MIN_DECISIONS, measureTypicalWait } from "../src/posts/typical-wait.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, textOf } from "./helpers/http.ts";

let t: TestApp;
let author: UserFixture;
let moderator: UserFixture;
const HOUR = 3_600_000;
const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms);

/** A question sent at `sent` and decided `waitHours` later, as a moderator's decision records it. */
async function decided(status: "APPROVED" | "REJECTED" | "CHANGES" | "HIDDEN", sent: Date, waitHours: number) {
  const thread = await createThread(t.db, author, { status: "PENDING" });
  const at = new Date(sent.getTime() + waitHours * HOUR);
  await t.db.thread.update({
    where: { id: thread.id },
    data: {
      createdAt: sent,
      heldAt: sent,
      moderatedById: moderator.id,
      moderatedAt: at,
      status: status === "CHANGES" ? "PENDING" : status,
      approvedAt: status === "APPROVED" || status === "HIDDEN" ? at : null,
      changesRequestedAt: status === "CHANGES" ? at : null,
    },
  });
  return thread;
}

beforeAll(async () => {
  t = await buildTestApp();
  author = await createUser(t.db);
  moderator = await createUser(t.db, "moderator");
});
afterAll(() => t.close());

describe("the typical wait", () => {
  it("is null with fewer than the minimum of decisions, then the median of the last 30 days' decisions", async () => {
    expect(await measureTypicalWait(t.db, now)).toEqual({ seconds: null, decisions: 0 });
    // Approved after 1 h, rejected after 2 h, changes asked after 3 h, a reply approved after 4 h, approved after 10 h.
    await decided("APPROVED", ago(50 * HOUR), 1);
    await decided("REJECTED", ago(40 * HOUR), 2);
    await decided("CHANGES", ago(30 * HOUR), 3);
    expect((await measureTypicalWait(t.db, now)).seconds).toBeNull();
    const thread = await createThread(t.db, author);
    const reply = await createReply(t.db, author, thread.id);
    await t.db.reply.update({
      where: { id: reply.id },
      data: {
        createdAt: ago(20 * HOUR),
        heldAt: ago(20 * HOUR),
        approvedAt: ago(16 * HOUR),
        moderatedById: moderator.id,
        moderatedAt: ago(16 * HOUR),
      },
    });
    await decided("APPROVED", ago(12 * HOUR), 10);
    // Not counted: decided over 30 days ago, hidden after publication, and published at once (no moderator).
    await decided("APPROVED", ago(40 * 24 * HOUR), 100);
    await decided("HIDDEN", ago(5 * HOUR), 0.5);
    const atOnce = await createThread(t.db, author);
    await t.db.thread.update({ where: { id: atOnce.id }, data: { createdAt: ago(HOUR), approvedAt: ago(HOUR) } });

    expect(MIN_DECISIONS).toBe(5);
    expect(await measureTypicalWait(t.db, now)).toEqual({ seconds: 3 * 3600, decisions: 5 });
  });

  it("reads the same on the thread, its edit page and the account page, which names each state", async () => {
    const agent = t.agent();
    await logIn(agent, author);
    const pending = await createThread(t.db, author, { title: "A waiting question about the queue", status: "PENDING" });
    const changes = await createThread(t.db, author, { title: "A question needing changes here", status: "PENDING" });
    await t.db.thread.update({ where: { id: changes.id }, data: { changesRequestedAt: new Date() } });
    const rejected = await createThread(t.db, author, { title: "A rejected question for the list", status: "REJECTED" });
    const wording = "Typical wait for a moderator's decision: about 3 hours (the median over the last 30 days).";
    expect(textOf((await agent.get(`/t/${pending.id}`)).text)).toContain(wording);
    expect(textOf((await agent.get(`/t/${pending.id}/edit`)).text)).toContain(wording);
    const account = textOf((await agent.get("/account")).text);
    expect(account).toContain(wording);
    expect(account).not.toContain("within a day");
    expect(account).toContain(`${pending.title} Awaiting moderation`);
    expect(account).toContain(`${changes.title} Changes requested`);
    expect(account).toContain(`${rejected.title} Rejected`);
    expect(account).not.toMatch(/\bpending\b/);
  });
});
