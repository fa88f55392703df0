// safeRedirectPath: after sign-in, `next` may only lead to a path on this site.
import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "../../src/lib/redirect.ts";
import { HOSTILE_NEXT } from "../helpers/hostile-next.ts";

/** What a browser would make of a Location header: same site, and which path. */
function followed(location: string): URL {
  // Browsers strip tab/CR/LF from URLs and read "\" as "/": do the same before resolving.
  return new URL(location.replace(/[\t\n\r]/g, "").replace(/\\/g, "/"), "https://curbside.example/login");
}

describe("safeRedirectPath", () => {
  it.each(HOSTILE_NEXT.map((v) => [JSON.stringify(v), v]))("falls back to / for %s", (_label, value) => {
    expect(safeRedirectPath(value)).toBe("/");
  });

  it.each([[undefined], [null], [42], [["/ask"]], [{ toString: () => "//evil" }]])("falls back to / for %o", (value) => {
    expect(safeRedirectPath(value)).toBe("/");
  });

  it.each([
    ["/", "/"],
    ["/ask", "/ask"],
    ["/t/12-title?page=2#reply-40", "/t/12-title?page=2#reply-40"],
    ["/search?q=NK cells", "/search?q=NK%20cells"],
    ["/search?q=NK%20cells", "/search?q=NK%20cells"],
    ["/a/./b/../c", "/a/c"],
    ["/moderation?status=pending&page=2", "/moderation?status=pending&page=2"],
  ])("keeps the same-site path %s (normalised to %s)", (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected);
  });

  it("whatever it is given, a browser following the result stays on this site", () => {
    const samples = [...HOSTILE_NEXT, "/ask", "/search?q=x", "/a//b", "/@evil.example", "/:@evil.example"];
    for (const value of samples) {
      const path = safeRedirectPath(value);
      expect(followed(path).origin, value).toBe("https://curbside.example");
      // Nothing a header refuses: printable ASCII only.
      expect(path, value).toMatch(/^\/[\x21-\x7e]*$/);
      expect(path.startsWith("//"), value).toBe(false);
    }
  });
});
