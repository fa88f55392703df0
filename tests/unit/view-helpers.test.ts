// Templates are compiled knowing exactly the registered helpers (knownHelpersOnly): the list must be complete.
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { HELPER_NAMES, registerHelpers } from "../../src/lib/view-helpers.ts";

describe("view helpers", () => {
  it("HELPER_NAMES lists every registered helper", () => {
    const hb = Handlebars.create();
    const builtIn = new Set(Object.keys(hb.helpers));
    registerHelpers(hb);
    const registered = Object.keys(hb.helpers).filter((name) => !builtIn.has(name));
    expect(registered.sort()).toEqual([...HELPER_NAMES].sort());
  });

  it("a template calling an unknown helper fails to compile instead of printing nothing", () => {
    const hb = Handlebars.create();
    registerHelpers(hb);
    const knownHelpers = Object.fromEntries(HELPER_NAMES.map((name) => [name, true]));
    const template = hb.compile("{{shout name}}", { knownHelpersOnly: true, knownHelpers });
    expect(() => template({ name: "x" })).toThrow(/shout/);
    expect(hb.compile("{{date when}}", { knownHelpersOnly: true, knownHelpers })({ when: new Date(Date.UTC(2026, 10, 21)) })).toBe(
      "21 November 2026",
    );
  });
});
