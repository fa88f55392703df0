// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, the top entries, so a missed
// target can say where the time goes. Usage: tsx bench/profile-summary.ts bench/results/profiles/x.cpuprofile
import { readFile } from "node:fs/promises";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const file = process.argv[2];
if (!file) throw new Error("give a .cpuprofile file");
const profile = JSON.parse(await readFile(file, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  if (!node) return;
  const where = node.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(src|bench|dist)\//, "$1/");
  const key = `${node.callFrame.functionName || "(anonymous)"} ${where}:${node.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byPackage = new Map<string, number>();
for (const [key, us] of self) {
  const pkg = key.match(/ (@?[^/ ]+(?:\/[^/ ]+)?)\//)?.[1] ?? key.split(" ")[0] ?? "?";
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}
console.log(`total ${(total / 1000).toFixed(0)} ms sampled\n\nTop functions by self time:`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
console.log("\nBy package or place:");
for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${pkg}`);

// Where a request's time goes, by the first matching frame on each sample's stack (inclusive time).
type Frame = Node["callFrame"];
const stages: [string, (f: Frame) => boolean][] = [
  ["rendering (Handlebars)", (f) => f.functionName === "viewHandlebars"],
  ["sending SQL (pg)", (f) => f.functionName === "submit" && f.url.includes("pg/lib/query")],
  ["receiving and parsing rows (pg)", (f) => f.url.includes("pg-protocol") || f.url.includes("/pg/lib/")],
  ["Prisma", (f) => f.url.includes("@prisma/")],
  // The bench profiles the bundle (dist/server.js), where our plugins cannot be told from the rest of our code;
  // a profile of the sources (tsx) splits them.
  [
    "our code: services, view-models (and plugins, in the bundle)",
    (f) => f.url.includes("/dist/server.js") || (f.url.includes("/src/") && !f.url.includes("/plugins/")),
  ],
  ["our plugins (session, CSRF, security, cache)", (f) => f.url.includes("/src/plugins/")],
  ["Fastify and node:http", (f) => f.url.includes("fastify") || f.url.includes("_http") || f.url.includes("find-my-way")],
];
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const byStage = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const leaf = byId.get(id)?.callFrame.functionName ?? "";
  let stage = ["(garbage collector)", "(idle)", "(program)"].includes(leaf) ? leaf : "other";
  if (stage === "other") {
    const stack: Frame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node) stack.push(node.callFrame);
    }
    stage = stages.find(([, test]) => stack.some(test))?.[0] ?? "other";
  }
  byStage.set(stage, (byStage.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
console.log("\nBy stage (first match on the stack):");
for (const [stage, us] of [...byStage].sort((a, b) => b[1] - a[1]))
  console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${stage}`);
