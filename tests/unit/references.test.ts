// References: what the box accepts (DOIs and PubMed IDs in the ways people paste them), what it refuses with
// which message, and how the list renders.
import { describe, expect, it } from "vitest";
import { parseReferences, referenceList, referencesText, storedReferences } from "../../src/references/references.ts";

const ok = (input: string) => {
  const parsed = parseReferences(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.references;
};
const refused = (input: string) => {
  const parsed = parseReferences(input);
  if (parsed.ok) throw new Error(`accepted: ${input}`);
  return parsed.message;
};

describe("parseReferences", () => {
  it.each([
    ["10.1056/NEJMoa1808737", { type: "doi", id: "10.1056/NEJMoa1808737", text: "" }],
    ["doi:10.1093/hropen/hoad002", { type: "doi", id: "10.1093/hropen/hoad002", text: "" }],
    ["DOI: 10.1093/hropen/hoad002", { type: "doi", id: "10.1093/hropen/hoad002", text: "" }],
    ["https://doi.org/10.1093/hropen/hoad002", { type: "doi", id: "10.1093/hropen/hoad002", text: "" }],
    ["https://dx.doi.org/10.1002/%28SICI%291097-4636", { type: "doi", id: "10.1002/(SICI)1097-4636", text: "" }],
    ["PMID: 30673547", { type: "pmid", id: "30673547", text: "" }],
    ["pmid 30673547", { type: "pmid", id: "30673547", text: "" }],
    ["30673547", { type: "pmid", id: "30673547", text: "" }],
    ["https://pubmed.ncbi.nlm.nih.gov/30673547/", { type: "pmid", id: "30673547", text: "" }],
    ["10.1056/NEJMoa1808737.", { type: "doi", id: "10.1056/NEJMoa1808737", text: "" }],
  ])("reads %s", (input, expected) => {
    expect(ok(input)).toEqual([expected]);
  });

  it("keeps the citation written after the identifier, and skips blank lines", () => {
    expect(
      ok("PMID: 30673547 Lensen S, et al. Endometrial scratching. N Engl J Med. 2019.\n\n  doi:10.1093/hropen/hoad002 — ESHRE 2022"),
    ).toEqual([
      { type: "pmid", id: "30673547", text: "Lensen S, et al. Endometrial scratching. N Engl J Med. 2019." },
      { type: "doi", id: "10.1093/hropen/hoad002", text: "ESHRE 2022" },
    ]);
    expect(ok("")).toEqual([]);
    expect(ok("\n  \n")).toEqual([]);
  });

  it.each([
    ["10.1056", "Reference on line 1: “10.1056” is not a DOI or a PubMed ID."],
    ["doi:10.12/abc", "Reference on line 1: “doi:10.12/abc” is not a DOI or a PubMed ID."],
    ["doi:", "is not a DOI or a PubMed ID"],
    ["PMID: 0123", "is not a DOI or a PubMed ID"],
    ["PMID: 12a45", "is not a DOI or a PubMed ID"],
    ["PMID: 1234567890", "is not a DOI or a PubMed ID"],
    ["Smith et al. 2019", "“Smith” is not a DOI or a PubMed ID"],
    ["https://example.com/paper", "is not a DOI or a PubMed ID"],
    ['10.1000/abc"onmouseover=alert(1)', "is not a DOI or a PubMed ID"],
    ["https://doi.org/%E0%A4%A", "is not a DOI or a PubMed ID"],
  ])("refuses %s with a clear message", (input, message) => {
    const text = refused(input);
    expect(text).toContain(message);
    expect(text).toContain("Write a DOI such as 10.1093/humrep/deaa123 or a PubMed ID such as PMID: 31234567, one per line.");
  });

  it("names the line of the first problem, repeats, and too many", () => {
    expect(refused("PMID: 30673547\n\nnot-a-reference")).toMatch(/^Reference on line 3:/);
    expect(refused("doi:10.1056/NEJMoa1808737\nhttps://doi.org/10.1056/nejmoa1808737")).toBe("Reference on line 2 repeats reference 1.");
    const many = Array.from({ length: 31 }, (_, i) => `PMID: ${1000 + i}`).join("\n");
    expect(refused(many)).toBe("Cite at most 30 references.");
    expect(refused(`PMID: 1 ${"x".repeat(401)}`)).toBe("Reference on line 1: the citation must be at most 400 characters.");
    expect(refused("PMID: 1 bad\u0007bell")).toBe("Reference on line 1 contains characters that can't be stored.");
  });
});

describe("the shapes of identifiers", () => {
  it.each([
    ["PMID: 1", "1"],
    ["PMID: 12", "12"],
    ["PMID: 12345678", "12345678"],
    ["pmid:99999999", "99999999"],
  ])("a PubMed ID is 1 to 8 digits without a leading zero: %s", (input, id) => {
    expect(ok(input)).toEqual([{ type: "pmid", id, text: "" }]);
  });

  it.each([
    "PMID: 0",
    "PMID: 01",
    "PMID: 00012345",
    "PMID: 123456789",
    "PMID: 1234567890",
    "PMID: -12",
    "PMID: 12.5",
    "PMID: １２",
    "123456789",
  ])("refuses the PubMed ID %j, naming the line and the shape", (input) => {
    const message = refused(`doi:10.1093/humrep/deaa123\n${input}`);
    expect(message).toMatch(/^Reference on line 2: /);
    expect(message).toContain("A PubMed ID is 1 to 8 digits, not starting with 0.");
  });

  it.each([
    ["10.1000/x", "10.1000/x"],
    ["10.123456789/abc", "10.123456789/abc"],
    ["doi:10.1000.10/abc", "10.1000.10/abc"],
    ["doi:10.1000.10.2/abc", "10.1000.10.2/abc"],
    ["10.1002/(SICI)1097-4636(199906)45:4<>", null],
    ["10.1093/humrep/deaa123", "10.1093/humrep/deaa123"],
  ])("a DOI is 10., a 4-9 digit registrant with optional sub-parts, / and a suffix: %s", (input, id) => {
    if (id === null) expect(refused(input)).toContain("is not a DOI or a PubMed ID");
    else expect(ok(input)).toEqual([{ type: "doi", id, text: "" }]);
  });

  it.each([
    "10.123/abc",
    "10.1234567890/abc",
    "10.1234/",
    "doi:10.1234",
    "doi:10.1234./abc",
    "doi:10.1234.x/abc",
    "doi:11.1234/abc",
    "doi:10,1234/abc",
    "https://doi.org/10.12/abc",
  ])("refuses the DOI %j, naming the line and the shape", (input) => {
    const message = refused(`PMID: 30673547\n\n${input}`);
    expect(message).toMatch(/^Reference on line 3: /);
    expect(message).toContain("A DOI is “10.”, a registrant code of 4 to 9 digits, “/”, then the rest without spaces.");
  });

  it("a DOI's suffix ends at a space: what follows is the citation", () => {
    expect(ok("doi:10.1234/ab cd")).toEqual([{ type: "doi", id: "10.1234/ab", text: "cd" }]);
  });
});

describe("rendering", () => {
  it("numbers the list and links DOIs to doi.org and PubMed IDs to PubMed", () => {
    const list = referenceList(ok("PMID: 30673547 Lensen S, et al. 2019.\ndoi:10.1002/(SICI)1097-4636#x?y"));
    expect(list).toEqual([
      { number: 1, text: "Lensen S, et al. 2019.", label: "PMID", id: "30673547", url: "https://pubmed.ncbi.nlm.nih.gov/30673547/" },
      { number: 2, text: "", label: "DOI", id: "10.1002/(SICI)1097-4636#x?y", url: "https://doi.org/10.1002/(SICI)1097-4636%23x%3Fy" },
    ]);
  });

  it("reads stored JSON defensively and writes the box back for editing", () => {
    expect(storedReferences([{ type: "doi", id: "javascript:alert(1)" }, { type: "pmid", id: "42" }, "junk", null])).toEqual([
      { type: "pmid", id: "42", text: "" },
    ]);
    expect(storedReferences({ not: "a list" })).toEqual([]);
    const refs = ok("PMID: 30673547 Lensen 2019\n10.1093/hropen/hoad002");
    expect(ok(referencesText(refs))).toEqual(refs);
  });
});
