// Edits of published posts go back to review while the approved version stays visible; moderators see the
// history; a moderator's redaction (edit before approving) erases the removed text from every version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { categoryId, createReply, createThread, createUser, type UserFixture } from "./helpers/factories.ts";
import { csrfFrom, logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
let patient: UserFixture;
let patientAgent: ReturnType<TestApp["agent"]>;
let modAgent: ReturnType<TestApp["agent"]>;
let otherMod: ReturnType<TestApp["agent"]>;
let cat: string;

async function signedIn(user: UserFixture) {
  const agent = t.agent();
  await logIn(agent, user);
  return agent;
}

beforeAll(async () => {
  t = await buildTestApp();
  patient = await createUser(t.db, "patient");
  patientAgent = await signedIn(patient);
  modAgent = await signedIn(await createUser(t.db, "moderator"));
  otherMod = await signedIn(await createUser(t.db, "moderator"));
  cat = String(await categoryId(t.db));
});
afterAll(() => t.close());

const editQuestion = (agent: ReturnType<TestApp["agent"]>, id: number, title: string, body: string) =>
  submit(agent, `/t/${id}/edit`, `/t/${id}/edit`, { title, body, categoryId: cat, _reviewed: "as-written" });

async function pendingRevision(threadId: number) {
  return t.db.postRevision.findFirstOrThrow({ where: { threadId, status: "PENDING" } });
}

describe("a patient edits a published question", () => {
  it("the queue shows what the edit changes, word by word, as text", async () => {
    const thread = await createThread(t.db, patient, {
      title: "Ferritin before transfer",
      body: "My ferritin was 12 and the clinic said to wait.",
    });
    expect(
      (
        await editQuestion(
          patientAgent,
          thread.id,
          "Ferritin before transfer",
          "My ferritin was 45 <b>now</b> and the clinic said to wait.",
        )
      ).status,
    ).toBe(303);
    const html = (await modAgent.get("/moderation?show=edits")).text;
    const item = html.slice(html.indexOf("What the edit changes"), html.indexOf("Published now"));
    expect(item).toContain('<del><span class="visually-hidden">[removed: </span>12<span class="visually-hidden">]</span></del>');
    expect(item).toMatch(
      /<ins><span class="visually-hidden">\[added: <\/span>45 &lt;b&gt;now&lt;\/b&gt;<span class="visually-hidden">\]<\/span><\/ins>/,
    );
    expect(item).not.toContain("<b>now</b>");
    // The title did not change: no title diff.
    expect(html).not.toContain("Title, what changes:");
  });

  it("the approved version stays public until a moderator approves the edit; then the edit shows", async () => {
    const thread = await createThread(t.db, patient, { title: "Original published title", body: "The original approved body text." });
    const res = await editQuestion(patientAgent, thread.id, "Edited title waiting", "The edited body, waiting for review.");
    expect(res.status).toBe(303);

    const reader = textOf((await t.http().get(`/t/${thread.id}`)).text);
    expect(reader).toContain("The original approved body text.");
    expect(reader).not.toContain("waiting for review");
    const own = textOf((await patientAgent.get(`/t/${thread.id}`)).text);
    expect(own).toContain("Your edit is waiting for a moderator.");
    // Editing again shows the pending text and replaces it.
    expect((await patientAgent.get(`/t/${thread.id}/edit`)).text).toContain("The edited body, waiting for review.</textarea>");
    await editQuestion(patientAgent, thread.id, "Edited title, second try", "The second edited body, waiting.");
    expect(await t.db.postRevision.count({ where: { threadId: thread.id, status: "PENDING" } })).toBe(1);

    const queue = textOf((await modAgent.get("/moderation?show=edits")).text);
    expect(queue).toContain("The original approved body text.");
    expect(queue).toContain("The second edited body, waiting.");

    const revision = await pendingRevision(thread.id);
    expect((await submit(modAgent, "/moderation", `/moderation/edits/${revision.id}/approve`, {})).status).toBe(303);
    const after = textOf((await t.http().get(`/t/${thread.id}`)).text);
    expect(after).toContain("The second edited body, waiting.");
    expect(after).toContain("Edited title, second try");

    const history = textOf((await modAgent.get(`/moderation/threads/${thread.id}/history`)).text);
    expect(history).toContain("The original approved body text.");
    expect(history).toContain("The second edited body, waiting.");
    expect(history).toContain("approve-edit");
    const note = await t.db.notification.findFirstOrThrow({ where: { userId: patient.id, message: { contains: "edit" } } });
    expect(note.message).toBe("Your edit to your question was approved");
  });

  it("a rejected edit leaves the published version, and the author is told why", async () => {
    const thread = await createThread(t.db, patient, { body: "Approved text that stays." });
    await editQuestion(patientAgent, thread.id, "A title for a rejected edit", "An edit that names my clinic, St Example.");
    const revision = await pendingRevision(thread.id);
    const bad = await submit(modAgent, "/moderation", `/moderation/edits/${revision.id}/reject`, { reason: "", note: "" });
    expect(bad.status).toBe(400);
    const res = await submit(modAgent, "/moderation", `/moderation/edits/${revision.id}/reject`, {
      reason: "Contains identifying details",
      note: "Please leave out the clinic.",
    });
    expect(res.status).toBe(303);
    expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).toContain("Approved text that stays.");
    const note = await t.db.notification.findFirstOrThrow({ where: { userId: patient.id, message: { contains: "not approved" } } });
    expect(note.detail).toContain("Contains identifying details: Please leave out the clinic.");
  });

  it("two moderators deciding one edit at once: one wins, the other is told", async () => {
    const thread = await createThread(t.db, patient);
    await editQuestion(patientAgent, thread.id, "A title for the race", "An edit two moderators decide at once.");
    const revision = await pendingRevision(thread.id);
    const [a, b] = await Promise.all([
      submit(modAgent, "/moderation", `/moderation/edits/${revision.id}/approve`, {}),
      submit(otherMod, "/moderation", `/moderation/edits/${revision.id}/reject`, { reason: "Medical misinformation" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const loser = a.status === 409 ? a : b;
    expect(textOf(loser.text)).toContain("Another moderator has already decided on this edit.");
    expect(
      await t.db.moderationLog.count({ where: { targetId: String(thread.id), action: { in: ["approve-edit", "reject-edit"] } } }),
    ).toBe(1);
  });

  it("a verified physician's edit of their answer is published at once and kept in the history", async () => {
    const physician = await createUser(t.db, "physician");
    const thread = await createThread(t.db, patient);
    const reply = await createReply(t.db, physician, thread.id, { body: "First version of my answer." });
    const agent = await signedIn(physician);
    const res = await submit(agent, `/replies/${reply.id}/edit`, `/replies/${reply.id}/edit`, {
      body: "Corrected version of my answer.",
      _reviewed: "as-written",
    });
    expect(res.status).toBe(303);
    expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).toContain("Corrected version of my answer.");
    const versions = await t.db.postRevision.findMany({ where: { replyId: reply.id }, orderBy: { id: "asc" } });
    expect(versions.map((v) => [v.body, v.status])).toEqual([
      ["First version of my answer.", "APPROVED"],
      ["Corrected version of my answer.", "APPROVED"],
    ]);
  });

  it("nobody else can edit a post, and unknown edits are 404", async () => {
    const thread = await createThread(t.db, patient);
    const stranger = await signedIn(await createUser(t.db, "patient"));
    expect((await stranger.get(`/t/${thread.id}/edit`)).status).toBe(404);
    expect((await submit(modAgent, "/moderation", "/moderation/edits/999999/approve", {})).status).toBe(404);
    expect((await patientAgent.get(`/moderation/threads/${thread.id}/history`)).status).toBe(403);
  });
});

describe("edit before approving (redaction)", () => {
  it("replaces a pending question's text; the removed words are in no history, the log keeps the note", async () => {
    const thread = await createThread(t.db, patient, {
      title: "Question naming Dr Redactme",
      body: "My doctor Dr Redactme at Redactme Clinic said my NK cells were high.",
      status: "PENDING",
    });
    const form = await modAgent.get(`/moderation/threads/${thread.id}/redact`);
    expect(form.text).toContain("Redactme Clinic said");
    const empty = await modAgent
      .post(`/moderation/threads/${thread.id}/redact`)
      .type("form")
      .send({ _csrf: csrfFrom(form.text), title: "Question about NK cells", body: "My doctor said my NK cells were high.", note: "" });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("My doctor said my NK cells were high.</textarea>");
    const res = await submit(modAgent, `/moderation/threads/${thread.id}/redact`, `/moderation/threads/${thread.id}/redact`, {
      title: "Question about NK cells",
      body: "My doctor said my NK cells were high.",
      note: "Removed the doctor's and clinic's names",
    });
    expect(res.status).toBe(303);
    const row = await t.db.thread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(row).toMatchObject({ status: "PENDING", title: "Question about NK cells" });
    const log = await t.db.moderationLog.findFirstOrThrow({ where: { action: "redact", targetId: String(thread.id) } });
    expect(log.note).toBe("Removed the doctor's and clinic's names");
    const history = await modAgent.get(`/moderation/threads/${thread.id}/history`);
    expect(history.text).not.toContain("Redactme");
    expect((await t.db.postRevision.findMany({ where: { threadId: thread.id } })).some((r) => r.body.includes("Redactme"))).toBe(false);
  });

  it("on a published post with earlier versions, erases their text so no history shows it", async () => {
    const thread = await createThread(t.db, patient, { body: "Published text naming Nurse Hideme." });
    await editQuestion(patientAgent, thread.id, "A title with an edit", "Edited text still naming Nurse Hideme.");
    const revision = await pendingRevision(thread.id);
    await submit(modAgent, "/moderation", `/moderation/edits/${revision.id}/approve`, {});
    const res = await submit(modAgent, `/moderation/threads/${thread.id}/redact`, `/moderation/threads/${thread.id}/redact`, {
      title: "A title with an edit",
      body: "Edited text still naming a nurse.",
      note: "Removed a name",
    });
    expect(res.status).toBe(303);
    const history = textOf((await modAgent.get(`/moderation/threads/${thread.id}/history`)).text);
    expect(history).not.toContain("Hideme");
    expect(history).toContain("Text removed by a moderator's redaction.");
    expect(history).toContain("Edited text still naming a nurse.");
    expect(textOf((await t.http().get(`/t/${thread.id}`)).text)).not.toContain("Hideme");
    const all = await t.db.postRevision.findMany({ where: { threadId: thread.id } });
    expect(all.filter((r) => r.redactedAt !== null)).toHaveLength(2);
  });

  it("can redact an edit awaiting review, which then waits for a decision", async () => {
    const thread = await createThread(t.db, patient, { body: "Fine published text." });
    await editQuestion(patientAgent, thread.id, "A title for a pending edit", "Pending edit that names Hospital Hideaway.");
    const revision = await pendingRevision(thread.id);
    const res = await submit(modAgent, `/moderation/edits/${revision.id}/redact`, `/moderation/edits/${revision.id}/redact`, {
      title: "A title for a pending edit",
      body: "Pending edit that names a hospital.",
      note: "Removed the hospital",
    });
    expect(res.status).toBe(303);
    const row = await t.db.postRevision.findUniqueOrThrow({ where: { id: revision.id } });
    expect(row).toMatchObject({ status: "PENDING", body: "Pending edit that names a hospital.", byModerator: true });
    expect(textOf((await modAgent.get("/moderation?show=edits")).text)).not.toContain("Hideaway");
  });

  it("is for moderators only", async () => {
    const thread = await createThread(t.db, patient, { status: "PENDING" });
    expect((await patientAgent.get(`/moderation/threads/${thread.id}/redact`)).status).toBe(403);
    const forged = await submit(patientAgent, "/account", `/moderation/threads/${thread.id}/redact`, {
      title: "Taken over title",
      body: "Taken over body text",
      note: "x",
    });
    expect(forged.status).toBe(403);
    expect((await modAgent.get("/moderation/threads/999999/redact")).status).toBe(404);
  });
});
