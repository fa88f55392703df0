// Templates are compiled knowing exactly the registered helpers (knownHelpersOnly): the list must be complete.
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, HELPER_NAMES, registerHelpers } from "../../src/lib/view-helpers.ts";
import { asciiTemplate, compactWhitespace } from "../../src/plugins/views.ts";

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

describe("jsonLd", () => {
  it("escapes every character that could close the element or break a line, and parses back to the data", () => {
    const hb = Handlebars.create();
    registerHelpers(hb);
    const data = { name: "a </script><script>alert(1)</script> & <!-- b \u2028 c \u2029 d > e", n: 1 };
    const html = hb.compile("{{jsonLd data}}")({ data });
    const inner = html.replace(/^<script type="application\/ld\+json">/, "").replace(/<\/script>$/, "");
    expect(inner).not.toMatch(/[<>&\u2028\u2029]/);
    expect(inner).toContain("\\u003c/script\\u003e");
    expect(JSON.parse(inner)).toEqual(data);
  });
});

describe("dates", () => {
  const intlDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  const intlDateTime = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
    timeZoneName: "short",
  });

  it("print what en-GB Intl formatting prints, in UTC, across years, months, days, hours and minutes", () => {
    // Every month and the day and time edges, plus a spread of instants over several years (leap days included).
    const instants = [
      Date.UTC(2024, 1, 29, 0, 0),
      Date.UTC(2026, 11, 31, 23, 59),
      Date.UTC(2027, 0, 1, 0, 0),
      Date.UTC(1999, 8, 9, 9, 5),
      ...Array.from({ length: 12 }, (_, m) => Date.UTC(2026, m, 1, 12, 30)),
      ...Array.from({ length: 2000 }, (_, i) => Date.UTC(2020, 0, 1) + i * 97_397_017),
    ];
    for (const t of instants) {
      const d = new Date(t);
      expect(formatDate(d)).toBe(intlDate.format(d));
      expect(formatDateTime(d)).toBe(intlDateTime.format(d));
    }
  });

  it("the helpers accept Dates and ISO strings and print nothing for anything else", () => {
    const hb = Handlebars.create();
    registerHelpers(hb);
    const render = (source: string, value: unknown) => hb.compile(source)({ value });
    expect(render("{{dateTime value}}", new Date(Date.UTC(2026, 10, 21, 14, 3)))).toBe("21 November 2026 at 14:03 UTC");
    expect(render("{{date value}}", "2026-11-21T23:59:00.000Z")).toBe("21 November 2026");
    expect(render("{{date value}}", "not a date")).toBe("");
    expect(render("{{dateTime value}}", null)).toBe("");
  });
});

describe("asciiTemplate", () => {
  it("writes a template's own non-ASCII text as character references and leaves {{ }} alone", () => {
    const source = `<p title="“quoted”">A · B — ✓ 🙂</p>{{#if x}}{{label "← Back"}}{{/if}}{{!-- a · comment --}}{{{raw}}}`;
    expect(asciiTemplate(source)).toBe(
      `<p title="&#x201c;quoted&#x201d;">A &#xb7; B &#x2014; &#x2713; &#x1f642;</p>{{#if x}}{{label "← Back"}}{{/if}}{{!-- a · comment --}}{{{raw}}}`,
    );
  });

  it("compiled, prints the same text, and a value with non-ASCII characters is printed as it is", () => {
    const hb = Handlebars.create();
    const html = hb.compile(asciiTemplate("<title>{{title}} · Curbside</title>"))({ title: "Ünïcödé ’quotes’ 🙂" });
    expect(html).toBe("<title>Ünïcödé ’quotes’ 🙂 &#xb7; Curbside</title>");
  });
});

describe("compactWhitespace", () => {
  it("cuts each run of whitespace holding a line break to one line break, outside {{ }}, <textarea> and <pre>", () => {
    // What is inside {{ }}, <textarea> and <pre> (and the line break before it) comes out as it went in.
    const kept = [
      "{{> part a=1",
      "        b=2}}",
      "</ul> <p>A  B</p>",
      '<textarea name="t">',
      "{{value}}  ",
      "  kept</textarea>",
      "<pre>",
      "  as  it  is",
      "</pre>{{!-- a",
      "   comment --}}",
    ];
    const source = ["<ul>", "    <li>One</li>   ", "", "    {{#if x}}<li>{{x}}</li>{{/if}}", `    ${kept[0]}`, ...kept.slice(1)];
    expect(compactWhitespace(source.join("\n"))).toBe(["<ul>", "<li>One</li>", "{{#if x}}<li>{{x}}</li>{{/if}}", ...kept].join("\n"));
  });

  it("compiled, a block on its own line still leaves no line of its own, and a textarea keeps the text it holds", () => {
    const hb = Handlebars.create();
    const template = hb.compile(
      compactWhitespace("<div>\n  {{#if a}}\n    <p>a</p>\n  {{/if}}\n  <textarea>\n{{text}}</textarea>\n</div>"),
    );
    expect(template({ a: true, text: "  two\n\n  lines  " })).toBe("<div>\n<p>a</p>\n<textarea>\n  two\n\n  lines  </textarea>\n</div>");
    expect(template({ a: false, text: "" })).toBe("<div>\n<textarea>\n</textarea>\n</div>");
  });
});
