// Which clients get the page cache's gzipped bytes: those whose Accept-Encoding takes gzip, and no others.
import { describe, expect, it } from "vitest";
import { acceptsGzip } from "../../src/plugins/page-cache.ts";

describe("acceptsGzip", () => {
  it.each([
    "gzip",
    "gzip, deflate, br, zstd", // Chrome
    "gzip, deflate, br", // Firefox, Safari
    "br;q=1.0, gzip;q=0.8, *;q=0.1",
    "GZIP",
    "x-gzip",
    "deflate, *",
    "identity, gzip;q=0.5",
    " gzip ; q=0.001",
  ])("takes gzip: %s", (header) => {
    expect(acceptsGzip(header)).toBe(true);
  });

  it.each([
    undefined,
    "",
    "identity",
    "br",
    "deflate, br",
    "gzip;q=0",
    "gzip; q=0.000",
    "*;q=0",
    "gzip;q=0, *", // named with q=0 beats the wildcard
    "gzip;q=nonsense",
    "gzipped",
  ])("does not take gzip: %s", (header) => {
    expect(acceptsGzip(header)).toBe(false);
  });
});
