// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, the top entries, so a missed
// target can say where the time goes. Usage: tsx bench/profile-summary.ts bench/results/profiles/x.cpuprofile
import { readFile } from "node:fs/promises";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const file = process.argv[2];
if (!file) throw new Error("give a .cpuprofile file");
const profile = JSON.parse(await readFile(file, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  if (!node) return;
  const where = node.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(src|bench)\//, "$1/");
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
