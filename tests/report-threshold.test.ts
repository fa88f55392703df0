// "Hide after N reports" counts only established reporters (issue #20, item 8): accounts older than a day with
// at least one approved post. Three new accounts, or three with nothing approved, can't hide a physician's answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser } from "./helpers/factories.ts";
import { logIn, submit } from "./helpers/http.ts";
import { DEFAULT_SETTINGS_FORM } from "./helpers/settings.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  const admin = t.agent();
  await logIn(admin, await createUser(t.db, "admin"));
  const saved = await submit(admin, "/admin/settings", "/admin/settings", {
    ...DEFAULT_SETTINGS_FORM,
    flagThreshold: "3",
    flagAction: "HIDE",
  });
  expect(saved.status).toBe(303);
}, 120_000);
afterAll(() => t.close());

async function reportAs(user: Awaited<ReturnType<typeof createUser>>, replyId: number) {
  const agent = t.agent();
  await logIn(agent, user);
  const res = await submit(agent, `/replies/${replyId}/report`, `/replies/${replyId}/report`, { reason: "SPAM", note: "" });
  expect(res.status).toBe(200);
}

async function physicianAnswer() {
  const thread = await createThread(t.db, await createUser(t.db));
  return createReply(t.db, await createUser(t.db, "physician"), thread.id, { body: "A physician's answer under attack." });
}

describe("hiding after reports", () => {
  it("ignores reports from accounts less than a day old, even with approved posts", async () => {
    const answer = await physicianAnswer();
    for (let i = 0; i < 3; i++) {
      const fresh = await createUser(t.db, "patient", { createdAt: new Date(Date.now() - 3600 * 1000) });
      await createThread(t.db, fresh);
      await reportAs(fresh, answer.id);
    }
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: answer.id } })).status).toBe("APPROVED");
  }, 120_000);

  it("ignores reports from old accounts with no approved post", async () => {
    const answer = await physicianAnswer();
    for (let i = 0; i < 3; i++) await reportAs(await createUser(t.db), answer.id);
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: answer.id } })).status).toBe("APPROVED");
  }, 120_000);

  it("hides the post once established members' reports reach the threshold", async () => {
    const answer = await physicianAnswer();
    for (let i = 0; i < 3; i++) {
      const member = await createUser(t.db);
      await createThread(t.db, member);
      await reportAs(member, answer.id);
    }
    expect((await t.db.reply.findUniqueOrThrow({ where: { id: answer.id } })).status).toBe("HIDDEN");
  }, 120_000);
});
