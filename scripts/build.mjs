// Production build: bundles src/server.ts and everything it imports from src/ into dist/server.js, leaving
// node_modules as ordinary imports. `npm start` runs this first (about half a second) and then plain node, so
// a production process carries no TypeScript loader. On Node 20, tsx's loader runs in a second thread with
// its own V8 heap, which stays resident for the life of the process (about 35 MB on this machine).
//
// server.ts and app.ts find the project root as the parent of their own folder; dist/ sits at the same depth
// as src/, so the bundle finds views/, public/ and migrations/ the same way.
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));

// JSON from packages (the safety guard's first-name lists) goes into the bundle: esbuild writes an external
// import without its `with { type: "json" }`, which Node refuses.
const bundledJson = {
  name: "bundled-json",
  setup(b) {
    b.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({ path: require.resolve(args.path) }));
  },
};

try {
  await build({
    entryPoints: [join(root, "src", "server.ts")],
    outfile: join(root, "dist", "server.js"),
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    plugins: [bundledJson],
  });
} catch {
  // esbuild has already printed the errors, with file and line.
  process.exit(1);
}
