// Where to send someone after a form (`next`): only a path on this site, normalised, else "/".
// Browsers are lenient with Location: they drop tab, CR and LF inside URLs, read "\" as "/", and take
// "//host" (or "/\host", "/<tab>/host") as another site; Node refuses control and non-Latin-1 characters in
// headers with an exception. So anything carrying those, in the value or in any percent-decoding of it,
// falls back to "/", and what is kept is re-serialised by the URL parser and checked again.

const BASE = "http://curbside.invalid";
const MAX_LENGTH = 500;
// Controls (C0, DEL, C1), backslash, and anything beyond Latin-1.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]|[^\u0000-\u00ff]/;

function decodings(value: string): string[] | null {
  const seen = [value];
  let current = value;
  for (let i = 0; i < 5 && current.includes("%"); i++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return null;
    }
    seen.push(current);
  }
  return seen;
}

const looksOffSite = (path: string) => !path.startsWith("/") || path.startsWith("//") || UNSAFE.test(path);

/** A same-site path to redirect to, from untrusted input; "/" when the input is anything else. */
export function safeRedirectPath(input: unknown): string {
  if (typeof input !== "string" || input.length === 0 || input.length > MAX_LENGTH) return "/";
  const forms = decodings(input);
  if (!forms || forms.some(looksOffSite)) return "/";
  let url: URL;
  try {
    url = new URL(input, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can collapse into "//host" ("/.//host"): check what the parser made of it too.
  if (looksOffSite(path) || path.length > MAX_LENGTH * 3) return "/";
  return path;
}
