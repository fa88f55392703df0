// Parsing pages as a browser does (parse5), to assert what is actually markup and what is text.
import { parse } from "parse5";

export interface HtmlNode {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: HtmlNode[];
  value?: string;
  content?: HtmlNode;
}

export function parseHtml(html: string): HtmlNode {
  return parse(html) as unknown as HtmlNode;
}

export function* elements(node: HtmlNode): Generator<HtmlNode> {
  if (node.tagName) yield node;
  for (const child of node.childNodes ?? []) yield* elements(child);
  if (node.content) yield* elements(node.content);
}

export function attr(node: HtmlNode, name: string): string | undefined {
  return node.attrs?.find((a) => a.name === name)?.value;
}

export function textContent(node: HtmlNode): string {
  if (node.nodeName === "#text") return node.value ?? "";
  return (node.childNodes ?? []).map(textContent).join("");
}

export function byId(root: HtmlNode, id: string): HtmlNode | undefined {
  for (const el of elements(root)) if (attr(el, "id") === id) return el;
  return undefined;
}

// Everything Curbside's templates and its Markdown subset produce. Anything else in a page was injected.
const TAGS = new Set(
  "html head meta title link script body a header div span nav ul ol li form input button main h1 h2 h3 p strong em br label select option textarea fieldset legend section article aside footer time details summary dl dt dd blockquote mark table caption h4 h5 h6 pre ins del thead tbody tr th td code".split(
    " ",
  ),
);
const ATTRIBUTES = new Set(
  "lang charset name content rel href type src nonce defer class id tabindex method action value for maxlength minlength required autocomplete rows placeholder checked selected datetime title role open hidden aria-labelledby aria-describedby aria-invalid aria-current aria-label aria-hidden aria-live aria-controls data-counter data-unsaved-warning data-reply-to data-reply-name data-safety-live download scope form inputmode data-select-all min max aria-pressed reversed data-local formnovalidate data-preview-slot data-draft-owner data-draft-note".split(
    " ",
  ),
);
const DANGEROUS_URL = /^\s*(javascript|vbscript|data|livescript):/i;
const OUR_QR_CODE = /^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/;
const QR_ALT = "QR code to scan with your authenticator app";

/** Describes every element, attribute or URL in the page that Curbside's templates could not have produced. */
export function injectedMarkup(html: string): string[] {
  const problems: string[] = [];
  for (const el of elements(parseHtml(html))) {
    const tag = el.tagName ?? "";
    // The two-factor set-up page's QR code: an SVG the server made, as a data: image (views/accounts/two-factor.hbs).
    if (tag === "img" && OUR_QR_CODE.test(attr(el, "src") ?? "") && attr(el, "alt") === QR_ALT) continue;
    if (!TAGS.has(tag)) problems.push(`element <${tag}>`);
    // Our two kinds of script: the app's file, and JSON-LD data whose whole text must still be one JSON value.
    if (tag === "script" && attr(el, "type") === "application/ld+json") {
      try {
        JSON.parse(textContent(el));
      } catch {
        problems.push("JSON-LD that was broken into");
      }
    } else if (tag === "script" && !/^\/assets\/app\.[0-9a-f]{10}\.js$/.test(attr(el, "src") ?? ""))
      problems.push("a script that is not ours");
    for (const { name, value } of el.attrs ?? []) {
      if (!ATTRIBUTES.has(name)) problems.push(`attribute ${name} on <${tag}>`);
      if (["href", "src", "action", "formaction"].includes(name) && DANGEROUS_URL.test(value)) problems.push(`${name}="${value}"`);
    }
  }
  return problems;
}
