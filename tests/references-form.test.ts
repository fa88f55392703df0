// The references box on a physician's answer: a wrong identifier is refused with the line it is on and the shape
// it should have, and everything typed comes back in the form.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";
import { createThread, createUser } from "./helpers/factories.ts";
import { logIn, submit, textOf } from "./helpers/http.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe("references on an answer", () => {
  it("names the wrong line and keeps the text", async () => {
    const patient = await createUser(t.db, "patient");
    const physician = await createUser(t.db, "physician");
    const agent = t.agent();
    await logIn(agent, physician);
    const thread = await createThread(t.db, patient, { title: "A question with cited answers" });
    const before = await t.db.reply.count();
    const references = "PMID: 30673547 Lensen S, et al. 2019.\ndoi:10.12/too-short\nPMID: 0123";
    const res = await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "An answer that cites **two** works.",
      references,
    });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("Reference on line 2: “doi:10.12/too-short” is not a DOI or a PubMed ID.");
    expect(text).toContain("A DOI is “10.”, a registrant code of 4 to 9 digits, “/”, then the rest without spaces.");
    expect(res.text).toContain("An answer that cites **two** works.</textarea>");
    expect(res.text).toContain(">\nPMID: 30673547 Lensen S, et al. 2019.\ndoi:10.12/too-short\nPMID: 0123</textarea>");
    expect(res.text).toMatch(/id="references"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="references"/);
    expect(await t.db.reply.count()).toBe(before);

    const fixed = await submit(agent, `/t/${thread.id}`, `/t/${thread.id}/replies`, {
      body: "An answer that cites **two** works.",
      references: "PMID: 30673547\nPMID: 0123",
    });
    expect(textOf(fixed.text)).toContain(
      "Reference on line 2: “PMID:0123” is not a DOI or a PubMed ID. A PubMed ID is 1 to 8 digits, not starting with 0.",
    );
  });
});
