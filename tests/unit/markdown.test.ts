// The safe Markdown subset: paragraphs, lists, emphasis, links, headings, quotes, code and tables; never raw HTML
// or script URLs. And its plain text, for excerpts and snippets: never any Markdown syntax.
import { describe, expect, it } from "vitest";
import { excerpt, plainText, renderMarkdown } from "../../src/lib/markdown.ts";
import { segments } from "../../src/search/service.ts";

const REL = 'rel="nofollow ugc noopener noreferrer"';

describe("renderMarkdown", () => {
  it("renders paragraphs, line breaks, lists, emphasis and links", () => {
    expect(renderMarkdown("One\n\nTwo")).toBe("<p>One</p>\n<p>Two</p>\n");
    expect(renderMarkdown("a\nb")).toBe("<p>a<br>\nb</p>\n");
    expect(renderMarkdown("- x\n- y")).toContain("<ul>\n<li>x</li>\n<li>y</li>\n</ul>");
    expect(renderMarkdown("1. x")).toContain("<ol>");
    expect(renderMarkdown("*a* **b**")).toBe("<p><em>a</em> <strong>b</strong></p>\n");
    expect(renderMarkdown("[PubMed](https://pubmed.ncbi.nlm.nih.gov/)")).toBe(
      `<p><a href="https://pubmed.ncbi.nlm.nih.gov/" ${REL}>PubMed</a></p>\n`,
    );
  });

  it("renders headings below the page's title: # and ## at the top level given, deeper ones beneath", () => {
    expect(renderMarkdown("# Top\n## Two\n### Three\n#### Four\n##### Five\n###### Six")).toBe(
      "<h2>Top</h2>\n<h2>Two</h2>\n<h3>Three</h3>\n<h4>Four</h4>\n<h4>Five</h4>\n<h4>Six</h4>\n",
    );
    // In a reply, which sits under the page's h2.
    expect(renderMarkdown("## Two\n### Three\n#### Four", 3)).toBe("<h3>Two</h3>\n<h4>Three</h4>\n<h5>Four</h5>\n");
    expect(renderMarkdown("#hashtag")).toBe("<p>#hashtag</p>\n");
  });

  it("renders block quotes, inline code and code blocks, escaping what is inside", () => {
    expect(renderMarkdown("> quoted\n> on")).toBe("<blockquote>\n<p>quoted<br>\non</p>\n</blockquote>\n");
    expect(renderMarkdown("Use `<b>` here")).toBe("<p>Use <code>&lt;b&gt;</code> here</p>\n");
    expect(renderMarkdown("```\nif (a < b) alert(1)\n```")).toBe("<pre><code>if (a &lt; b) alert(1)\n</code></pre>\n");
    expect(renderMarkdown("    indented")).toBe("<pre><code>indented\n</code></pre>\n");
    const info = renderMarkdown('```"><script>alert(1)</script>\nx\n```');
    expect(info).not.toContain("<script");
    expect(info).toContain("<pre><code");
  });

  it("renders tables in a focusable, labelled scroll box, with alignment as classes (no inline style)", () => {
    const html = renderMarkdown("| Test | Result |\n|:--|--:|\n| TSH | 2.1 |");
    expect(html).toContain('<div class="table-scroll" role="region" tabindex="0" aria-label="Table: Test, Result">');
    expect(html).toContain('<th class="align-left">Test</th>');
    expect(html).toContain('<td class="align-right">2.1</td>');
    expect(html).not.toContain("style=");
    expect(html.trimEnd().endsWith("</table>\n</div>")).toBe(true);
    const hostile = renderMarkdown('| <img src=x onerror=alert(1)> | "x" |\n|-|-|\n| <b>y</b> | z |');
    expect(hostile).not.toMatch(/<img|<b>/);
    expect(hostile).toContain('aria-label="Table: &lt;img src=x onerror=alert(1)&gt;, &quot;x&quot;"');
  });

  it("never renders raw HTML", () => {
    for (const source of [
      '<script>alert(1)</script><img src=x onerror="alert(1)"><b>bold</b>',
      "<div>\n\n**x**\n\n</div>",
      "> <iframe src=https://evil.example>",
      "# <svg onload=alert(1)>",
      "<!-- comment --> <?php ?> <![CDATA[x]]>",
    ]) {
      const html = renderMarkdown(source);
      expect(html).not.toMatch(/<(script|img|b|div|iframe|svg|!--|\?php|!\[CDATA)[\s>]/i);
    }
    expect(renderMarkdown("<script>x</script>")).toContain("&lt;script&gt;");
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&#58;alert(1)",
    "javascript&colon;alert(1)",
    "%6a%61vascript:alert(1)",
    "<java\tscript:alert(1)>",
    "<javascript:alert(1)>",
    "java\u0000script:alert(1)",
    "\u0001javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "//evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/\\/evil.example",
    "mailto:a@b.c",
    "file:///etc/passwd",
  ])("refuses the link %j, written inline, as a reference, as an image or as an autolink", (url) => {
    for (const source of [`[click](${url})`, `[click][r]\n\n[r]: ${url}`, `![pic](${url})`, `<${url}>`, `see ${url} now`]) {
      const html = renderMarkdown(source);
      const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? "");
      for (const href of hrefs) expect(href, source).toMatch(/^(https?:\/\/|\/(?![/\\])|#)/);
      expect(html).not.toMatch(/<a [^>]*href="(?!https?:|\/[^/\\]|#)/i);
      expect(html).not.toMatch(/<img|javascript:alert\(1\)"|src=/i);
    }
  });

  it("keeps http(s), site paths and fragments as links, by reference too, and shows images as links", () => {
    expect(renderMarkdown("[a](/t/1) [b](#reply-2) [c](http://x.example/)")).toBe(
      `<p><a href="/t/1" ${REL}>a</a> <a href="#reply-2" ${REL}>b</a> <a href="http://x.example/" ${REL}>c</a></p>\n`,
    );
    expect(renderMarkdown("[trial][1]\n\n[1]: https://doi.org/10.1000/x")).toBe(
      `<p><a href="https://doi.org/10.1000/x" ${REL}>trial</a></p>\n`,
    );
    expect(renderMarkdown("![ultrasound](https://e.x/i.png)")).toBe(`<p><a href="https://e.x/i.png" ${REL}>ultrasound</a></p>\n`);
    expect(renderMarkdown('![" onerror=x](https://e.x/i.png)')).toContain(">&quot; onerror=x</a>");
  });

  it("links bare URLs, safely", () => {
    expect(renderMarkdown("see https://doi.org/10.1000/xyz")).toContain('<a href="https://doi.org/10.1000/xyz"');
  });
});

describe("plainText", () => {
  it("shows the words without any Markdown", () => {
    const source = [
      "# Heading",
      "## Sub *heading* ##",
      "> a **quote**",
      "",
      "- item `code`",
      "1. [a link](https://x.example) and <https://y.example>",
      "",
      "| A | B |",
      "|---|:-:|",
      "| 1 | 2 |",
      "",
      "```js",
      "const x = 1;",
      "```",
      "![alt text](https://e.x/i.png) [ref][1] __strong__ snake_case",
      "",
      "[1]: https://doi.org/10.1000/x",
    ].join("\n");
    expect(plainText(source)).toBe(
      "Heading Sub heading a quote item code a link and https://y.example A B 1 2 const x = 1; alt text ref strong snake_case",
    );
  });

  it("takes out syntax the parser left as text: refused links, pieces of a cut snippet, stray tables", () => {
    const leftovers = [
      "[click](javascript:alert(1)) and [x](java script:y)",
      "here](https://x.example/y) and **bold",
      "a **half",
      "middle of ## a heading",
      "| a | b |\n| c | d |",
      "[see the",
      "> quote cut\n## heading cut",
      "`tick and ``double",
      "[unresolved][nope]",
    ];
    for (const source of leftovers) {
      const text = plainText(source);
      expect(text, source).not.toMatch(/\*\*|`|\||\]\(|\]\[|(^|\s)#+(\s|$)|^>/);
    }
    expect(plainText("[click](javascript:alert(1))")).toBe("click");
  });

  it("keeps what is text: raw HTML as typed, comparisons, hashtags and the search's match markers", () => {
    expect(plainText("<b>x</b> a < b, #1 choice")).toBe("<b>x</b> a < b, #1 choice");
    // ts_headline's markers around a match survive, inside emphasis and links too.
    const headline = "the **\u2e28heparin\u2e29** dose, [see \u2e28heparin\u2e29](https://x.example) | table |";
    expect(segments(plainText(headline))).toEqual([
      { text: "the ", hit: false },
      { text: "heparin", hit: true },
      { text: " dose, see ", hit: false },
      { text: "heparin", hit: true },
      { text: " table", hit: false },
    ]);
  });
});

describe("excerpt", () => {
  it("strips Markdown and cuts at a word", () => {
    expect(excerpt("**Bold** and [a link](https://x.y)")).toBe("Bold and a link");
    expect(excerpt("## Dosing\n\n| Drug | Dose |\n|---|---|\n| LMWH | 40 mg |\n\n> `note`")).toBe("Dosing Drug Dose LMWH 40 mg note");
    const long = excerpt("word ".repeat(100), 50);
    expect(long.length).toBeLessThanOrEqual(51);
    expect(long.endsWith("…")).toBe(true);
  });

  it("keeps the words of every construct and none of its syntax; typed HTML stays text", () => {
    expect(excerpt("## Heading\n\n> A quote with `code`\n\n- one\n- two\n\n1. three")).toBe("Heading A quote with code one two three");
    expect(excerpt("| a | b |\n|---|---|\n| 1 | 2 |")).toBe("a b 1 2");
    expect(excerpt("```\nfenced\n```\n![alt text](x.png) [bad](javascript:alert(1))")).toBe("fenced alt text bad");
    // As the post shows them: typed HTML and entities are text, an escaped star a star.
    expect(excerpt("<b>raw</b> &amp; a\\*b, 5 * 3")).toBe("<b>raw</b> &amp; a*b, 5 * 3");
  });
});
