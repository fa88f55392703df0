// Pseudonym rules: titles and physicians' names are refused after folding look-alikes; real-looking full
// names are flagged for a warning.
import { describe, expect, it } from "vitest";
import { looksLikeRealName, refusePseudonym, skeleton, stripInvisible } from "../../src/safety/pseudonym.ts";

describe("the skeleton", () => {
  it.each([
    ["Cyrillic а for Latin a", "Admin", "Аdmin"],
    ["Cyrillic о and е", "Moderator", "Mоdеrаtоr"],
    ["full-width letters", "Dr", "Ｄｒ"],
    ["a zero-width joiner", "Dr", "D\u200Dr"],
    ["a zero-width space", "Nurse", "Nur\u200Bse"],
    ["a right-to-left override", "Admin", "\u202EAdmin\u202C"],
    ["a left-to-right mark", "Curbside", "Curb\u200Eside"],
    ["Greek capital alpha", "Admin", "\u0391dmin"],
  ])("folds %s", (_what, plain, disguised) => {
    expect(skeleton(disguised)).toBe(skeleton(plain));
  });

  it("removes invisible and bidirectional controls", () => {
    expect(stripInvisible("a\u200B\u200C\u200D\u2060\uFEFF\u202A\u202B\u202D\u202E\u2066\u2069b")).toBe("ab");
  });
});

describe("refused pseudonyms", () => {
  it.each([
    "Dr Rose",
    "Dr. Rose",
    "DrRose",
    "rose_md",
    "Rose MD",
    "Prof Hope",
    "Nurse Joy",
    "Moderator",
    "Mod Team",
    "Admin",
    "Curbside",
    "CurbsideHelp",
    "Curbside Staff",
    "Аdmin",
    "Ｄｒ Rose",
    "D\u200Dr Rose",
    "\u202EnimdA",
    "Mоdеrаtоr",
    "Doctor Who",
  ])("refuses %j", (name) => {
    expect(refusePseudonym(name)).not.toBeNull();
  });

  it.each([
    ["letters spaced out", "D r. Smith"],
    ["dotted letters", "D.r. Smith"],
    ["an underscore", "Dr_Smith"],
    ["no space after the dot", "Dr.Smith"],
    ["glued in lower case", "drsmith"],
    ["glued to a first name", "nursejo"],
    ["a long title glued", "doctorwho"],
    ["odd capitals", "dR.smith"],
    ["Roman numeral letters", "\u216ER Smith"],
    ["mathematical bold", "\u{1D403}\u{1D42B} Smith"],
    ["modifier letters", "\u1D30\u02B3 Smith"],
    ["a soft hyphen", "Dr\u00ADSmith"],
    ["a combining grapheme joiner", "D\u034Fr Smith"],
    ["full-width with a full-width dot", "\uFF24\uFF32\uFF0E\uFF33\uFF4D\uFF49\uFF54\uFF48"],
    ["mixed scripts (Cyrillic о in Doc)", "D\u043Ec Rose"],
    ["M.D. after the name", "Smith M.D."],
    ["MD glued behind a name", "rosemd"],
    ["a title split by a space", "ad min"],
    ["a digit after", "Admin1"],
    ["digits for letters", "adm1n"],
    ["digits for letters, longer", "Moder4tor"],
    ["Curbside with a digit", "curbs1de"],
  ])("refuses %s: %j", (_what, name) => {
    expect(refusePseudonym(name)).not.toBeNull();
  });

  it.each([
    "Drew",
    "Andrea",
    "Rose of Sharon",
    "Hopeful Mum",
    "Lily88",
    "Admiral Ackbar fan",
    "Modest Mouse",
    "Dreamer88",
    "Drusilla",
    "Docherty",
    "Nursery Rhymes",
    "Badminton Girl",
    "Profile Pic",
    "Emma M",
    "Madison",
  ])("allows %j", (name) => {
    expect(refusePseudonym(name)).toBeNull();
  });

  it("refuses a verified physician's name, disguised or not", () => {
    const physicians = ["Amara Nwosu"];
    for (const name of [
      "Amara Nwosu",
      "amara nwosu",
      "Nwosu Amara",
      "АmаrаNwоsu",
      "Amara\u200B Nwosu",
      "Ａｍａｒａ Ｎｗｏｓｕ",
      "amara_nwosu",
      "Am4ra Nwosu",
      "drnwosu",
    ])
      expect(refusePseudonym(name, physicians), name).not.toBeNull();
    expect(refusePseudonym("Amara", physicians)).toBeNull();
    expect(refusePseudonym("Amara Rose", physicians)).toBeNull();
  });
});

describe("pseudonyms that look like a real full name", () => {
  it.each([
    "Sarah Thompson",
    "Emily Carter",
    "James O'Neill",
    "Anna Smith-Jones",
    "sarah thompson",
    "Rebecca J Lowe",
    "sarah_thompson",
    "Sarah.Thompson",
    "SarahThompson",
    "Sarah-Thompson",
    "SarahThompson85",
  ])("flags %j", (name) => {
    expect(looksLikeRealName(name)).toBe(true);
  });
  it.each(["Rose", "Hopeful Mum", "Sarah Hopeful", "Lily Rose", "TTC Warrior", "Sarah88", "Grace Again", "Blue Sky", "Emily Emily"])(
    "leaves %j",
    (name) => {
      expect(looksLikeRealName(name)).toBe(false);
    },
  );
});
