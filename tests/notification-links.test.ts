// Notification links outlive the title they were made under (issue #20, item 7): /notifications/ID sends the
// reader to /t/ID, and the thread gives its current address, so a withdrawn or redacted title leaks nowhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slugify } from "../src/lib/slug.ts";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createThread, createUser } from "./helpers/factories.ts";
import { logIn, submit } from "./helpers/http.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe("notification links", () => {
  it("lead to the thread's id only, so a withdrawn question's old title does not leak", async () => {
    const asker = await createUser(t.db);
    const title = "Secret clinic name in my original title";
    const thread = await createThread(t.db, asker, { title });
    const physician = t.agent();
    await logIn(physician, await createUser(t.db, "physician"));
    const replied = await submit(physician, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body: "A physician's answer.", parentId: "" });
    expect(replied.status).toBe(303);
    const made = await t.db.notification.findFirstOrThrow({ where: { userId: asker.id } });
    expect(made.url).not.toContain(slugify(title));

    const agent = t.agent();
    await logIn(agent, asker);
    expect((await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/withdraw`, { confirm: "withdraw" })).status).toBe(303);
    const opened = await agent.get(`/notifications/${made.id}`);
    expect(opened.status).toBe(302);
    expect(opened.headers.location).toMatch(new RegExp(`^/t/${thread.id}(#reply-\\d+)?$`));
    const page = await agent.get(opened.headers.location as string);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(slugify(title));
  }, 60_000);

  it("drop the slug of links stored before, keeping the reply's anchor", async () => {
    const owner = await createUser(t.db);
    const thread = await createThread(t.db, owner, { title: "A title later redacted" });
    const n = await t.db.notification.create({
      data: { userId: owner.id, kind: "DECISION", message: "Approved", url: `/t/${thread.id}/a-title-later-redacted?page=2#reply-7` },
    });
    const agent = t.agent();
    await logIn(agent, owner);
    const opened = await agent.get(`/notifications/${n.id}`);
    expect(opened.headers.location).toBe(`/t/${thread.id}?page=2#reply-7`);
  });
});
