// Small, strict XML writing for feeds and the sitemap: every text is escaped, and characters XML 1.0 cannot
// hold are dropped, so a post can never break a feed.
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string): string {
  return value
    .replace(INVALID_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** An element with escaped text, or with already-built children when `raw` is true. */
export function el(name: string, attributes: Record<string, string>, content = "", raw = false): string {
  const attrs = Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${xmlText(v)}"`)
    .join("");
  return content === "" ? `<${name}${attrs}/>` : `<${name}${attrs}>${raw ? content : xmlText(content)}</${name}>`;
}
