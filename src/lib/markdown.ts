// The one way user text becomes HTML: a safe subset of Markdown (paragraphs, line breaks, lists, emphasis, links,
// headings, block quotes, code, tables). Raw HTML is never rendered; it shows as the text that was typed. Links are
// limited to http(s) and site paths; images are not rendered. `plainText` is the same text without any Markdown.
import MarkdownIt, { type Env, type RendererRule, type Token } from "markdown-it";

const md = new MarkdownIt("zero", { html: false, linkify: true, breaks: true, typographer: false });
md.enable([
  "paragraph",
  "list",
  "emphasis",
  "link",
  "reference",
  "newline",
  "escape",
  "image",
  "linkify",
  "autolink",
  "heading",
  "blockquote",
  "backticks",
  "fence",
  "code",
  "table",
]);

// markdown-it hands this the link after decoding entities and escapes (so "&#106;avascript:" arrives as
// "javascript:") and percent-encoding spaces and controls: only what starts as http(s), a site path or a
// fragment passes. "//host" and "/\host" are other sites to a browser; "\" is encoded to %5C before it gets here.
const SAFE_LINK = /^(https?:\/\/|\/(?![/\\])|#)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url);

const renderToken: RendererRule = (tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options);
const defaultLinkOpen = md.renderer.rules.link_open ?? renderToken;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  // User-supplied links carry no endorsement and leak no referrer.
  tokens[idx]?.attrSet("rel", "nofollow ugc noopener noreferrer");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// An image is shown as a link to it, named by its description: a post never makes the reader's browser fetch
// something from elsewhere, and the description is what a screen reader would have read anyway.
md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx] as Token;
  const alt = inlineText(token.children ?? []).trim() || "Image";
  const src = md.utils.escapeHtml(String(token.attrGet("src") ?? ""));
  return `<a href="${src}" rel="nofollow ugc noopener noreferrer">${md.utils.escapeHtml(alt)}</a>`;
};

/** Options of one rendering: the level a top heading ("#" or "##") gets where the text sits on the page. */
interface RenderEnv extends Env {
  topHeading: number;
}

// A page already has its h1 (the post's title): "#" and "##" are the text's top level, "###" and "####" the two
// below it, and anything deeper stays at the lowest, so the page's outline holds wherever the text is shown.
const HEADING_DEPTH = 3;
const headingTag = (token: Token, env: Env | undefined) => {
  const written = Number(token.tag.slice(1));
  const top = (env as RenderEnv | undefined)?.topHeading ?? 2;
  return `h${Math.min(top + Math.max(written - 2, 0), top + HEADING_DEPTH - 1, 6)}`;
};
md.renderer.rules.heading_open = (tokens, idx, _options, env) => `<${headingTag(tokens[idx] as Token, env)}>`;
md.renderer.rules.heading_close = (tokens, idx, _options, env) => `</${headingTag(tokens[idx] as Token, env)}>\n`;

// A wide table scrolls sideways inside its own box rather than widening a phone's page; the box can take focus (so
// the keyboard can scroll it) and is named after the table's columns for screen readers.
md.renderer.rules.table_open = (tokens, idx) => {
  const label = tableLabel(tokens, idx);
  return `<div class="table-scroll" role="region" tabindex="0" aria-label="${md.utils.escapeHtml(label)}">\n<table>\n`;
};
md.renderer.rules.table_close = () => "</table>\n</div>\n";

function tableLabel(tokens: Token[], start: number): string {
  const columns: string[] = [];
  for (let i = start + 1; i < tokens.length && tokens[i]?.type !== "thead_close"; i++) {
    const token = tokens[i] as Token;
    if (token.type === "inline") columns.push(inlineText(token.children ?? []).trim());
  }
  const named = columns.filter(Boolean).join(", ");
  return named ? `Table: ${named.length > 100 ? `${named.slice(0, 100)}…` : named}` : "Table";
}

// Column alignment as a class: the site's CSP refuses inline style attributes, which markdown-it would write.
for (const cell of ["th_open", "td_open"] as const) {
  md.renderer.rules[cell] = (tokens, idx, options, _env, self) => {
    const token = tokens[idx] as Token;
    const align = /text-align:(left|center|right)/.exec(String(token.attrGet("style") ?? ""))?.[1];
    token.attrs = align ? [["class", `align-${align}`]] : null;
    return self.renderToken(tokens, idx, options);
  };
}

// Rendering is a pure function of the text, and a thread page renders the same posts for every reader: keep
// the most recently used results (bounded by total characters, so a few long articles can't crowd memory).
const RENDERED_MAX_CHARS = 4_000_000;
const rendered = new Map<string, string>();
let renderedChars = 0;

/**
 * Renders user-written Markdown to HTML that is safe to insert into a page. `topHeading` is the level of the
 * text's top headings: 2 under a page's title, 3 in a reply that sits under the page's h2.
 */
export function renderMarkdown(source: string, topHeading = 2): string {
  const key = `${topHeading}\u0000${source}`;
  const hit = rendered.get(key);
  if (hit !== undefined) {
    // Move to the back: Map keeps insertion order, so the front is the least recently used.
    rendered.delete(key);
    rendered.set(key, hit);
    return hit;
  }
  const env: RenderEnv = { topHeading: Math.min(Math.max(Math.trunc(topHeading), 2), 4) };
  const html = md.render(source, env);
  rendered.set(key, html);
  renderedChars += key.length + html.length;
  for (const [k, value] of rendered) {
    if (renderedChars <= RENDERED_MAX_CHARS) break;
    rendered.delete(k);
    renderedChars -= k.length + value.length;
  }
  return html;
}

function inlineText(children: Token[]): string {
  let text = "";
  for (const child of children) {
    if (child.type === "text" || child.type === "code_inline") text += child.content;
    else if (child.type === "softbreak" || child.type === "hardbreak") text += "\n";
    else if (child.type === "image") text += inlineText(child.children ?? []);
  }
  return text;
}

// What can be left of Markdown once the parser is done: syntax it did not read as such (a refused link, half a
// construct cut off by a search snippet's fragment, a table without its header). Each is taken out line by line.
const LEFTOVERS: [RegExp, string][] = [
  [/!?\[([^\]\n]*)\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)/g, "$1"], // [text](url), ![alt](url)
  [/!?\[([^\]\n]*)\]\[[^\]\n]*\]/g, "$1"], // [text][ref]
  [/\]\([^()\s]*\)/g, ""], // ](url), the end of a link whose start was cut off
  [/!?\[(?=[^\]\n]*$)/gm, ""], // [text, the start of a link whose end was cut off
  [/^\s*\[[^\]\n]+\]:\s*\S+.*$/gm, ""], // [ref]: url, an unused definition
  [/<((?:https?|ftp|mailto|[a-z][a-z0-9+.-]{1,31}):[^<>\s]*)>/gi, "$1"], // <autolink>
  [/^[ \t]*(?:>[ \t]?)+/gm, ""], // > quote
  [/^[ \t]*#{1,6}(?=[ \t]|$)/gm, ""], // ## heading
  [/(^|\s)#{1,6}(?=\s|$)/gm, "$1"], // closing ##, or a heading cut from its line
  [/^[ \t]*(?:```+|~~~+).*$/gm, ""], // ``` fence
  [/^[ \t]*[-*+][ \t]+/gm, ""], // - list item
  [/^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$/gm, ""], // |---|:--:| table rule
  [/[ \t]*\|[ \t]*/g, " "], // | cells |
  [/`+/g, ""], // `code`
  [/(^|\s)\*+(?=\S)|(?<=\S)\*+(?=\s|$|[.,;:!?)])/g, "$1"], // *emphasis*, **strong** (5 * 3 and a*b stay)
  [/(^|[^\p{L}\p{N}])_+|_+(?=$|[^\p{L}\p{N}])/gu, "$1"], // _emphasis_, __strong__ (snake_case stays)
];

/**
 * The text of some Markdown without any of its syntax, for excerpts, search snippets, feeds and structured data:
 * the words as a reader sees them, whitespace folded. Never HTML: escape it like any other text.
 */
export function plainText(source: string): string {
  const blocks: string[] = [];
  for (const token of md.parse(source, { topHeading: 2 } satisfies RenderEnv)) {
    if (token.type === "inline") blocks.push(inlineText(token.children ?? []));
    else if (token.type === "fence" || token.type === "code_block") blocks.push(token.content);
  }
  let text = blocks.join("\n");
  for (const [pattern, replacement] of LEFTOVERS) text = text.replace(pattern, replacement);
  return text.replace(/\s+/g, " ").trim();
}

/** Plain text of a post for previews: Markdown taken out, whitespace folded, cut at a word. */
export function excerpt(source: string, maxLength = 200): string {
  const text = plainText(source);
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > maxLength * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
