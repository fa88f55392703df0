// The moderation log names what was done in words and the post by its title, with a link; only staff read it.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createReply, createThread, createUser } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

vi.setConfig({ testTimeout: 120_000 });

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe("the moderation log in words", () => {
  it("says who did what to which post, newest first, with titles escaped and linked", async () => {
    const author = await createUser(t.db);
    const mod = t.agent();
    await logIn(mod, await createUser(t.db, "moderator", { pseudonym: "Mira Logwords" }));
    const thread = await createThread(t.db, author, { title: "Is <i>prednisone</i> safe?", status: "PENDING" });
    await submit(mod, "/moderation", `/moderation/threads/${thread.id}/approve`, {});
    const reply = await createReply(t.db, author, thread.id, { status: "PENDING" });
    await submit(mod, "/moderation", `/moderation/replies/${reply.id}/reject`, { reason: "Spam or advertising", note: "" });
    const html = (await mod.get("/moderation/log")).text;
    const text = textOf(html);
    expect(text).toContain("Mira Logwords rejected reply in “Is <i>prednisone</i> safe?”");
    expect(text).toContain("Mira Logwords approved question “Is <i>prednisone</i> safe?”");
    expect(text.indexOf("rejected reply in")).toBeLessThan(text.indexOf("approved question"));
    expect(html).toContain("Is &lt;i&gt;prednisone&lt;/i&gt; safe?");
    expect(html).toContain(`href="/t/${thread.id}/`);
    expect(html).not.toContain("reply #");

    const patient = t.agent();
    await logIn(patient, author);
    expect((await patient.get("/moderation/log")).status).toBe(403);
  });
});
