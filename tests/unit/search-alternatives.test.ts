import { describe, expect, it } from "vitest";
import { alternatives } from "../../src/search/service.ts";

describe("search alternatives for abbreviations", () => {
  it.each([
    ["NK cells", ['"natural killer" cells']],
    ["high nk", ['high "natural killer"']],
    ["natural killer cells", ["nk cells"]],
    ['"natural killer" spellout', ["nk spellout"]],
    ["IVF", ['"in vitro fertilisation"', '"in vitro fertilization"']],
    ["ivfx and hlab", []],
    ["APS and IVIG", ['"antiphospholipid syndrome" and IVIG', 'APS and "intravenous immunoglobulin"']],
  ])("%s", (q, expected) => {
    expect(alternatives(q)).toEqual(expected);
  });
});
