// The safe Markdown subset: paragraphs, lists, emphasis and links; never raw HTML or script URLs.
import { describe, expect, it } from "vitest";
import { excerpt, renderMarkdown } from "../../src/lib/markdown.ts";

describe("renderMarkdown", () => {
  it("renders paragraphs, line breaks, lists, emphasis and links", () => {
    expect(renderMarkdown("One\n\nTwo")).toBe("<p>One</p>\n<p>Two</p>\n");
    expect(renderMarkdown("a\nb")).toBe("<p>a<br>\nb</p>\n");
    expect(renderMarkdown("- x\n- y")).toContain("<ul>\n<li>x</li>\n<li>y</li>\n</ul>");
    expect(renderMarkdown("1. x")).toContain("<ol>");
    expect(renderMarkdown("*a* **b**")).toBe("<p><em>a</em> <strong>b</strong></p>\n");
    expect(renderMarkdown("[PubMed](https://pubmed.ncbi.nlm.nih.gov/)")).toBe(
      '<p><a href="https://pubmed.ncbi.nlm.nih.gov/" rel="nofollow ugc noopener noreferrer">PubMed</a></p>\n',
    );
  });

  it("never renders raw HTML", () => {
    const html = renderMarkdown('<script>alert(1)</script><img src=x onerror="alert(1)"><b>bold</b>');
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain("&lt;script&gt;");
  });

  it("refuses javascript:, data: and other schemes in links", () => {
    for (const url of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x", "//evil.example", "mailto:a@b.c"]) {
      const html = renderMarkdown(`[click](${url})`);
      expect(html).not.toContain("<a ");
    }
  });

  it("leaves headings, code, images, tables and quotes as plain text", () => {
    expect(renderMarkdown("# Title")).toBe("<p># Title</p>\n");
    expect(renderMarkdown("![x](https://e.x/i.png)")).not.toContain("<img");
    expect(renderMarkdown("> quote")).not.toContain("<blockquote");
    expect(renderMarkdown("`code`")).not.toContain("<code");
  });

  it("links bare URLs, safely", () => {
    expect(renderMarkdown("see https://doi.org/10.1000/xyz")).toContain('<a href="https://doi.org/10.1000/xyz"');
  });
});

describe("excerpt", () => {
  it("strips Markdown and cuts at a word", () => {
    expect(excerpt("**Bold** and [a link](https://x.y)")).toBe("Bold and a link");
    const long = excerpt("word ".repeat(100), 50);
    expect(long.length).toBeLessThanOrEqual(51);
    expect(long.endsWith("…")).toBe(true);
  });

  it("keeps the words of every construct and none of its syntax; typed HTML stays text", () => {
    expect(excerpt("## Heading\n\n> A quote with `code`\n\n- one\n- two\n\n1. three")).toBe("Heading A quote with code one two three");
    expect(excerpt("| a | b |\n|---|---|\n| 1 | 2 |")).toBe("a b 1 2");
    expect(excerpt("```\nfenced\n```\n![alt text](x.png) [bad](javascript:alert(1))")).toBe("fenced alt text bad");
    expect(excerpt("<b>raw</b> &amp; a\\*b")).toBe("<b>raw</b> & a*b");
  });
});
