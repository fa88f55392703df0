// Measures the safety guard on the labelled corpora in tests/fixtures/ (dev, holdout, and fresh: sentences
// written before the rules were read): recall and false alarms for identifying details and for emergency
// signs, per corpus and per kind, and lists every sentence it got wrong.
// `npm run safety:eval` (add `-- --names=compromise` to detect people and organisations with compromise
// instead of the guard's own name rules, for comparison).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findEmergencySigns } from "../src/safety/emergency.ts";
import { findIdentifyingDetails } from "../src/safety/identifying.ts";

export interface Example {
  identifying: string[];
  emergency: string[];
  text: string;
}

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");

export function loadCorpus(name: string): Example[] {
  const lines = readFileSync(join(root, "tests", "fixtures", `safety-corpus-${name}.tsv`), "utf8")
    .split("\n")
    .slice(1);
  return lines
    .filter((l) => l.trim())
    .map((l) => {
      const [id = "-", em = "-", ...rest] = l.split("\t");
      const list = (s: string) => (s === "-" ? [] : s.split(","));
      return { identifying: list(id), emergency: list(em), text: rest.join("\t").replace(/\\n/g, "\n") };
    });
}

type Finder = (text: string) => string[];

const physicians = ["Dr. Michael Harper"];

async function compromiseFinder(): Promise<Finder> {
  const nlp = (await import("compromise")).default;
  return (text) => {
    const own = findIdentifyingDetails(text, { physicians })
      .filter((d) => d.kind !== "name" && d.kind !== "place")
      .map((d) => d.kind);
    const doc = nlp(text);
    if (doc.people().length) own.push("name");
    if (doc.organizations().length || (!process.env.NO_PLACES && doc.places().length)) own.push("place");
    return own;
  };
}

function measure(examples: Example[], find: Finder, field: "identifying" | "emergency") {
  const positives = examples.filter((e) => e[field].length > 0);
  const negatives = examples.filter((e) => e[field].length === 0);
  const missed: string[] = [];
  const falseAlarms: string[] = [];
  let caught = 0;
  let alarms = 0;
  for (const e of positives) {
    if (find(e.text).length > 0) caught++;
    else missed.push(`[${e[field].join(",")}] ${e.text}`);
  }
  for (const e of negatives) {
    const found = find(e.text);
    if (found.length > 0) {
      alarms++;
      falseAlarms.push(`[${[...new Set(found)].join(",")}] ${e.text}`);
    }
  }
  // Per kind: a sentence labelled "phone" counts as caught only when a phone number is what was found.
  const kinds = new Map<string, { positives: number; caught: number; alarms: number }>();
  const tally = (kind: string) => {
    const known = kinds.get(kind);
    if (known) return known;
    const fresh = { positives: 0, caught: 0, alarms: 0 };
    kinds.set(kind, fresh);
    return fresh;
  };
  for (const e of examples) {
    const found = new Set(find(e.text));
    for (const kind of e[field]) {
      tally(kind).positives++;
      if (found.has(kind)) tally(kind).caught++;
    }
    if (e[field].length === 0) for (const kind of found) tally(kind).alarms++;
  }
  return {
    kinds,
    recall: caught / positives.length,
    falseAlarmRate: alarms / negatives.length,
    positives: positives.length,
    negatives: negatives.length,
    missed,
    falseAlarms,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function main() {
  const useCompromise = process.argv.includes("--names=compromise");
  const identifying: Finder = useCompromise
    ? await compromiseFinder()
    : (text) => findIdentifyingDetails(text, { physicians }).map((d) => d.kind);
  const emergency: Finder = (text) => findEmergencySigns(text).map((s) => s.kind);
  const halves = process.argv.filter((a) => a.startsWith("--half=")).map((a) => a.slice(7));
  let failed = false;
  const rows: string[] = [];
  const kindRows: string[] = [];
  for (const half of halves.length ? halves : ["dev", "holdout", "fresh"]) {
    const examples = loadCorpus(half);
    for (const [field, find, target] of [
      ["identifying", identifying, 0.95],
      ["emergency", emergency, 0.9],
    ] as const) {
      const m = measure(examples, find, field);
      rows.push(
        `| ${half.padEnd(7)} | ${field.padEnd(11)} | ${pct(m.recall).padStart(6)} (${m.positives}) | ${pct(m.falseAlarmRate).padStart(5)} (${m.negatives}) |`,
      );
      for (const [kind, k] of [...m.kinds].sort()) {
        const recall = k.positives ? `${pct(k.caught / k.positives).padStart(6)} (${k.positives})` : "     - (0)";
        kindRows.push(`| ${half.padEnd(7)} | ${kind.padEnd(13)} | ${recall.padEnd(13)} | ${pct(k.alarms / m.negatives).padStart(5)} |`);
      }
      if (m.recall < target || m.falseAlarmRate > 0.02) failed = true;
      for (const s of m.missed) console.log(`${half} ${field} MISSED  ${s}`);
      for (const s of m.falseAlarms) console.log(`${half} ${field} FALSE   ${s}`);
    }
  }
  console.log(`\nnames and places: ${useCompromise ? "compromise" : "the guard's rules"}`);
  console.log("| half    | kind        | recall (n)    | false alarms (n) |\n|---|---|---|---|");
  for (const r of rows) console.log(r);
  console.log("\nper kind (recall: found as that kind; false alarms: that kind on a clean sentence)");
  console.log("| half    | kind          | recall (n)    | false alarms |\n|---|---|---|---|");
  for (const r of kindRows) console.log(r);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
