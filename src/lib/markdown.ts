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

/** Renders user-written Markdown to HTML that is safe to insert into a page. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** Plain text of a post for previews: Markdown punctuation removed, whitespace folded, cut at a word. */
export function excerpt(source: string, maxLength = 200): string {
  const text = source
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`>#]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > maxLength * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
