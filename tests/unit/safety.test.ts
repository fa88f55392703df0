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

  // Past, denial and reassurance belong to a clause: what follows "and now" or "but" may be happening now.
  it.each([
    ["I had a DVT in 2017 and now the same leg is swollen and painful again", "clot"],
    ["I stopped clexane at 12 weeks and now my leg is swollen and throbbing", "clot"],
    ["last week the scan was fine but now im bleeding heavily", "bleeding"],
    ["im bleeding through everything, changing pads every 15 minutes", "bleeding"],
    ["one sided stabbing pain on my right, 5+4 and my hcg isnt doubling", "ectopic"],
    ["she normally goes mad at night but tonight nothing at all", "fetalMovement"],
    ["3 days after my miscarriage and i'm burning up", "fever"],
    ["whats the point in living without a baby, i dont want to wake up", "selfHarm"],
    ["I used to be ok but now I keep thinking everyone would be better off if I wasnt here", "selfHarm"],
  ])("catches, clause by clause, %j", (text, kind) => {
    expect(findEmergencySigns(text).map((s) => s.kind)).toContain(kind);
  });

  it.each([
    "i had a DVT in 2017 which is why im on clexane now",
    "I used to self harm as a teenager but i'm in a much better place now",
    "a bit breathless but the midwife says thats normal in the third trimester",
    "my chest feels tight with anxiety waiting for the call",
    "the pain of losing her is unbearable, i miss her every day",
    "no kicks yet but im only 15 weeks",
    "i'm so tired i could pass out lol",
    "my friend's waters broke at 32 weeks and baby is fine now",
    "I've never had any thoughts of self-harm, just grief.",
    "i fainted once at a blood test years ago so i always lie down now",
    "baby is kicking like crazy today",
  ])("leaves %j alone, clause by clause", (text) => {
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
    ["hi all im jess btw, 34, 3 mc's", "name", "jess"],
    ["Love Bex xx", "name", "Bex"],
    ["thanks for listening, Rach x", "name", "Rach"],
    ["Hi, Priyanka here, 36, on my 4th ICSI cycle", "name", "Priyanka"],
    ["DH (Chris) and I have decided", "name", "Chris"],
    ["my other half Steve is struggling", "name", "Steve"],
    ["dr. patel put me on 20mg pred", "name", "patel"],
    ["meine nummer 0151 23456789", "phone", "0151 23456789"],
    ["im in paris call me 06 12 34 56 78", "phone", "06 12 34 56 78"],
    ["ring 0 7 7 0 0 9 0 0 1 2 3 lol", "phone", "0 7 7 0 0 9 0 0 1 2 3"],
    ["my email: siobhan dot byrne at eircom dot net", "email", "byrne at eircom dot net"],
    ["emailing is easier - jenna.r.smith at gmail", "email", "jenna.r.smith at gmail"],
    ["my hotmail is ttc_bex_88", "email", "ttc_bex_88"],
    ["im at CRGH for my next cycle", "place", "CRGH"],
    ["ARGC want me to do NK testing", "place", "ARGC"],
    ["anyone near LS17? would love a buddy", "address", "LS17"],
    ["BS6 here, anyone local?", "address", "BS6"],
    ["our eircode is D02 X285", "address", "D02 X285"],
    ["I live on Wellington Road in Stockport", "address", "Wellington Road"],
    ["i was born on the twelfth of june 1983", "birthDate", "twelfth of june 1983"],
    ["born 7th August '89, 35 now", "birthDate", "7th August '89"],
    ["Hosp no. RXH 0098123", "recordNumber", "RXH 0098123"],
    ["Blue Cross ID: XYZ987654321", "recordNumber", "XYZ987654321"],
    ["search hopeful.hannah on tiktok", "socialProfile", "hopeful.hannah"],
  ])("finds %j beyond the first corpus", (text, kind, fragment) => {
    const found = findIdentifyingDetails(text);
    expect(found.map((f) => f.kind)).toContain(kind);
    expect(found.some((f) => f.text.includes(fragment))).toBe(true);
  });

  it.each([
    "day 5 blast graded 4AA, frozen on 02.10.2025",
    "the pharmacy ref on my prescription was 2310458761 and they still lost it",
    "Dr Alan Beer's book changed how i see all this",
    "does Mayo Clinic research say anything about NK cells?",
    "im tired and im so done with all this",
    "my friend had anaphylaxis to penicillin so i'm nervous",
    "My BP is 118/76 at every check.",
    "at CD12 now, trigger tonight",
    "we tried at Christmas but BFN",
    "TSH ref range is 0.27-4.2",
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
