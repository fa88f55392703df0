// Static files under fingerprinted names: /assets/styles.3f2a9c1e0b.css is the content of public/styles.css
// with that hash, cached by browsers for a year (immutable); a new deploy changes the name, never the file.
// Templates ask for the current name with {{asset "styles.css"}}. /public/* stays for the unhashed names.
// Each is compressed once at start (brotli and gzip) and sent as the browser asks.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { IMMUTABLE, type Precompressed, precompress, sendPrecompressed } from "../lib/precompressed.ts";

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
};

export interface Asset {
  url: string;
  body: Precompressed;
}

/** Reads every file in `dir` once, and names each by the hash of its content. */
export function fingerprint(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const ext = extname(name);
    const type = TYPES[ext];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
    assets.set(name, { url: `/assets/${name.slice(0, -ext.length)}.${hash}${ext}`, body: precompress(body, type) });
  }
  return assets;
}

declare module "fastify" {
  interface FastifyInstance {
    assetUrl(name: string): string;
  }
}

export default fp(
  async function assets(app: FastifyInstance, opts: { dir: string }) {
    const byName = fingerprint(opts.dir);
    const byUrl = new Map([...byName.values()].map((a) => [a.url, a]));
    app.decorate("assetUrl", (name: string) => {
      const asset = byName.get(name);
      if (!asset) throw new Error(`no asset named ${name}`);
      return asset.url;
    });
    app.get("/assets/:file", async (request, reply) => {
      const asset = byUrl.get(`/assets/${(request.params as { file: string }).file}`);
      if (!asset) return reply.code(404).type("text/plain; charset=utf-8").send("Not found");
      return sendPrecompressed(request, reply, asset.body, IMMUTABLE);
    });
  },
  { name: "assets" },
);
