// The emergency and identifying-detail guards: what they must catch and what they must leave alone.
import { describe, expect, it } from "vitest";
import { findEmergencySigns } from "../../src/safety/emergency.ts";
import { findIdentifyingDetails, removeIdentifyingDetails } from "../../src/safety/identifying.ts";

describe("emergency signs", () => {
  it.each([
    ["I'm 7 weeks and there is heavy bleeding since this morning", "bleeding"],
    ["Soaking through a pad every hour, lots of clots", "bleeding"],
    ["The bleeding won't stop and I feel weak", "bleeding"],
    ["I have severe pain on my left side", "pain"],
    ["Sharp stabbing cramps low in my belly", "pain"],
    ["I have shoulder tip pain since yesterday", "ectopic"],
    ["I fainted in the shower this morning", "fainting"],
    ["I passed out at work", "fainting"],
    ["I've had a high fever since the procedure", "fever"],
    ["My temperature is 39.2 C tonight", "fever"],
    ["fever of 102 F after the retrieval", "fever"],
    ["Some days I want to die", "selfHarm"],
    ["I have been thinking about suicide", "selfHarm"],
    ["I keep thinking about hurting myself", "selfHarm"],
    ["Honestly everyone would be better off dead without me", "selfHarm"],
    ["No pain at all. But now heavy bleeding started an hour ago.", "bleeding"],
  ])("catches %j", (text, kind) => {
    expect(findEmergencySigns(text).map((s) => s.kind)).toContain(kind);
  });

  it.each([
    "no bleeding",
    "There was no bleeding and no pain.",
    "my bleeding stopped last week",
    "The heavy bleeding stopped after two days.",
    "I'm not suicidal, just very sad.",
    "I had light spotting, nothing heavy.",
    "Without any pain or fever.",
    "My fever is gone and I feel fine.",
    "The article about haemorrhage risk was interesting",
    "My blood test results came back normal.",
    "The pain was mild and went away.",
    "I never fainted.",
    "We are trying again after the miscarriage in March.",
    "NK cells were normal but TNF-alpha was high.",
  ])("leaves %j alone", (text) => {
    expect(findEmergencySigns(text)).toEqual([]);
  });

  it("reports where each sign is", () => {
    const [sign] = findEmergencySigns("Hello. I fainted today.");
    expect(sign).toMatchObject({ kind: "fainting", text: "fainted", start: 9, end: 16 });
  });
});

describe("identifying details", () => {
  it.each([
    ["write to rose.example@mail.com please", "email", "rose.example@mail.com"],
    ["call me on +44 20 7946 0958", "phone", "+44 20 7946 0958"],
    ["my number is (555) 010-4477", "phone", "(555) 010-4477"],
    ["or 555-0100 after six", "phone", "555-0100"],
    ["I was born on 12/03/1988", "birthDate", "born on 12/03/1988"],
    ["DOB: 3 March 1988", "birthDate", "DOB: 3 March 1988"],
    ["my MRN is 4471-2290", "recordNumber", "MRN is"],
    ["NHS number 943 476 5919", "recordNumber", "NHS number 943 476 5919"],
    ["insurance number AB1234567", "recordNumber", "insurance number AB1234567"],
    ["SSN 123-45-6789", "recordNumber", "SSN 123-45-6789"],
    ["we live at 42 Maple Grove Road", "address", "42 Maple Grove Road"],
    ["find me at instagram.com/rose_ttc", "socialProfile", "instagram.com/rose_ttc"],
    ["my handle is @rose_ttc", "socialProfile", "@rose_ttc"],
  ])("finds %j", (text, kind, fragment) => {
    const found = findIdentifyingDetails(text);
    expect(found.map((f) => f.kind)).toContain(kind);
    expect(found.some((f) => f.text.includes(fragment) || fragment.includes(f.text))).toBe(true);
  });

  it.each([
    "My NK cells were 12% and TNF-alpha 35 pg/mL.",
    "Transfer on 2026-11-02, beta on 2026-11-12.",
    "I'm 36, we have tried for 3 years, 4 transfers.",
    "See doi 10.1016/j.jri.2020.103123 for the study.",
    "Progesterone 200 mg twice a day from day 14.",
    "The clinic said 5 to 7 days.",
    "AMH 2.1, FSH 6.5, day 3",
  ])("leaves %j alone", (text) => {
    expect(findIdentifyingDetails(text)).toEqual([]);
  });

  it("removes what it finds and nothing else", () => {
    expect(removeIdentifyingDetails("Mail rose@example.org or call 020 7946 0958. NK cells normal.")).toBe(
      "Mail [removed] or call [removed]. NK cells normal.",
    );
  });
});
