// The one way user text becomes HTML: a safe subset of Markdown (paragraphs, line breaks, lists, emphasis, links).
// Raw HTML is never rendered; it shows as the text that was typed. Links are limited to http(s) and site paths.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt("zero", { html: false, linkify: true, breaks: true, typographer: false });
md.enable(["paragraph", "list", "emphasis", "link", "newline", "escape", "linkify", "autolink"]);

const SAFE_LINK = /^(https?:\/\/|\/(?!\/)|#)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token) {
    // User-supplied links carry no endorsement and leak no referrer.
    token.attrSet("rel", "nofollow ugc noopener noreferrer");
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// Rendering is a pure function of the text, and a thread page renders the same posts for every reader: keep
// the most recently used results (bounded by total characters, so a few long articles can't crowd memory).
const RENDERED_MAX_CHARS = 4_000_000;
const rendered = new Map<string, string>();
let renderedChars = 0;

/** Renders user-written Markdown to HTML that is safe to insert into a page. */
export function renderMarkdown(source: string): string {
  const hit = rendered.get(source);
  if (hit !== undefined) {
    // Move to the back: Map keeps insertion order, so the front is the least recently used.
    rendered.delete(source);
    rendered.set(source, hit);
    return hit;
  }
  const html = md.render(source);
  rendered.set(source, html);
  renderedChars += source.length + html.length;
  for (const [key, value] of rendered) {
    if (renderedChars <= RENDERED_MAX_CHARS) break;
    rendered.delete(key);
    renderedChars -= key.length + value.length;
  }
  return html;
}

// Excerpts read every Markdown construct a post may hold (headings, quotes, tables, images, any link), so that
// none of its syntax shows; only the text tokens are kept, and raw HTML stays the text that was typed.
const words = new MarkdownIt("default", { html: false, linkify: false, typographer: false });
words.validateLink = () => true;

/** The words a reader sees once `source` is rendered: text tokens, with blocks and breaks as spaces. */
function renderedWords(source: string): string {
  const out: string[] = [];
  const walk = (tokens: ReturnType<typeof words.parse>) => {
    for (const token of tokens) {
      if (token.children) walk(token.children);
      else if (["text", "code_inline", "code_block", "fence"].includes(token.type)) out.push(token.content);
      if (token.type === "softbreak" || token.type === "hardbreak" || token.nesting !== 0 || token.block) out.push(" ");
    }
  };
  walk(words.parse(source, {}));
  return out.join("");
}

/** Plain text of a post for previews: Markdown syntax removed, whitespace folded, cut at a word. */
export function excerpt(source: string, maxLength = 200): string {
  const text = renderedWords(source).replace(/\s+/g, " ").trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > maxLength * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
