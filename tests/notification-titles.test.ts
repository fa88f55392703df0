// Notifications in the app name the post they are about ("Your question “TITLE” was approved"), escaped, and only
// while the reader may still see the post; mail never carries a title.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The first request of a file builds the app's views; on a loaded machine that alone took over 20 s.
vi.setConfig({ testTimeout: 120_000 });

import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let modAgent: ReturnType<TestApp["agent"]>;

async function signedIn(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

/** The notification links' HTML on a person's list. */
async function linksHtml(agent: ReturnType<TestApp["agent"]>) {
  const html = (await agent.get("/notifications")).text;
  return [...html.matchAll(/<a href="\/notifications\/\d+">([\s\S]*?)<\/a>/g)].map((m) => m[1] as string);
}

/** The notification lines as a reader reads them. */
const lines = async (agent: ReturnType<TestApp["agent"]>) => (await linksHtml(agent)).map(textOf);

beforeAll(async () => {
  t = await buildTestApp();
  modAgent = await signedIn(await createUser(t.db, "moderator"));
});
afterAll(() => t.close());

describe("notifications that name their post", () => {
  it("a decision names the question, escaped, and its mail names nothing", async () => {
    const asker = await createUser(t.db, "patient");
    const title = `Is <b>heparin</b> & "aspirin" safe after a loss?`;
    const thread = await createThread(t.db, asker, { title, status: "PENDING" });
    expect((await submit(modAgent, "/moderation", `/moderation/threads/${thread.id}/approve`, {})).status).toBe(303);
    const agent = await signedIn(asker);
    expect(await lines(agent)).toEqual([`Your question “${title}” was approved and is now public`]);
    // Escaped: the title's markup is text, never elements.
    expect((await linksHtml(agent))[0]).toContain("Is &lt;b&gt;heparin&lt;/b&gt; &amp; &quot;aspirin&quot; safe");
    for (const mail of await t.db.outboxEmail.findMany({ where: { userId: asker.id } })) {
      expect(`${mail.subject} ${mail.text} ${mail.path}`).not.toContain("heparin");
    }
  });

  it("a physician's answer says who answered which question", async () => {
    const asker = await createUser(t.db, "patient");
    const thread = await createThread(t.db, asker, { title: "Should NK cells be tested before transfer?" });
    const physician = await createUser(t.db, "physician", { fullName: "Lena Ortiz" });
    await submit(await signedIn(physician), `/t/${thread.id}`, `/t/${thread.id}/replies`, { body: "Activity, not counts.", parentId: "" });
    expect(await lines(await signedIn(asker))).toEqual([
      "Dr. Lena Ortiz answered your question “Should NK cells be tested before transfer?”",
    ]);
    const mail = await t.db.outboxEmail.findMany({ where: { userId: asker.id } });
    for (const m of mail) expect(`${m.subject} ${m.text} ${m.path}`).not.toMatch(/NK cells|transfer/);
  });

  it("a question that is hidden or withdrawn later no longer shows its title to those who cannot see it", async () => {
    const asker = await createUser(t.db, "patient");
    const physician = await createUser(t.db, "physician");
    const cat = await categoryId(t.db, "support");
    await t.db.physicianProfile.update({ where: { userId: physician.id }, data: { categoryIds: [cat] } });
    const hidden = await createThread(t.db, asker, {
      title: "Later hidden question about thrombophilia",
      status: "PENDING",
      category: "support",
    });
    const withdrawn = await createThread(t.db, asker, {
      title: "Later withdrawn question about karyotypes",
      status: "PENDING",
      category: "support",
    });
    for (const th of [hidden, withdrawn]) await submit(modAgent, "/moderation", `/moderation/threads/${th.id}/approve`, {});
    const doctor = await signedIn(physician);
    const me = await signedIn(asker);
    expect((await lines(doctor)).join("\n")).toContain("Later hidden question about thrombophilia");
    expect((await lines(doctor)).join("\n")).toContain("Later withdrawn question about karyotypes");

    await t.db.thread.update({ where: { id: hidden.id }, data: { status: "HIDDEN" } });
    await submit(me, `/t/${withdrawn.id}`, `/t/${withdrawn.id}/withdraw`, { confirm: "withdraw" });
    const doctorSees = (await lines(doctor)).join("\n");
    expect(doctorSees).not.toMatch(/thrombophilia|karyotypes/);
    expect(doctorSees).toContain("A new question in a category you follow");
    const askerSees = (await lines(me)).join("\n");
    // Its author may still read their own hidden question; nobody reads a withdrawn one's old title.
    expect(askerSees).toContain("Your question “Later hidden question about thrombophilia” was approved");
    expect(askerSees).not.toContain("karyotypes");
  });

  it("a reply hidden later takes its thread's title out of the notification about it", async () => {
    const asker = await createUser(t.db, "patient");
    const thread = await createThread(t.db, asker, { title: "Progesterone support after transfer" });
    const helper = await signedIn(await createUser(t.db, "patient", { pseudonym: "Juniper Helper" }));
    await submit(helper, `/t/${thread.id}`, `/t/${thread.id}/replies`, { body: "It helped me, ask your clinic.", parentId: "" });
    const reply = await t.db.reply.findFirstOrThrow({ where: { threadId: thread.id } });
    await submit(modAgent, "/moderation", `/moderation/replies/${reply.id}/approve`, {});
    const me = await signedIn(asker);
    expect(await lines(me)).toEqual(["Juniper Helper replied to your question “Progesterone support after transfer”"]);
    await t.db.reply.update({ where: { id: reply.id }, data: { status: "HIDDEN" } });
    expect(await lines(me)).toEqual(["Juniper Helper replied to your question"]);
  });
});
