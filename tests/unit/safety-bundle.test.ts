// The browser's copy of the guard is built from the server's modules: on every sentence of the corpora it
// finds exactly what the server finds. The bundle runs in a fresh V8 context, as a page would run it.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../scripts/safety-eval.ts";
import { guardBundle } from "../../src/safety/asset.ts";
import { findEmergencySigns } from "../../src/safety/emergency.ts";
import { findIdentifyingDetails, removeIdentifyingDetails } from "../../src/safety/identifying.ts";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
const context = { physicians: ["Michael Harper"] };

describe("the browser bundle", () => {
  it("finds what the server finds on every corpus sentence", async () => {
    const bundle = await guardBundle(root);
    const sandbox: { CurbsideSafety?: Record<string, (...args: unknown[]) => unknown> } = {};
    runInNewContext(bundle.body.toString("utf8"), sandbox);
    const browser = sandbox.CurbsideSafety;
    if (!browser) throw new Error("the bundle defined no CurbsideSafety");
    const texts = [...loadCorpus("dev"), ...loadCorpus("holdout"), ...loadCorpus("fresh")].map((e) => e.text);
    expect(texts.length).toBeGreaterThan(400);
    // JSON round trips compare plain data across the two V8 contexts.
    const same = (a: unknown, b: unknown) => expect(JSON.parse(JSON.stringify(a))).toEqual(JSON.parse(JSON.stringify(b)));
    for (const text of texts) {
      same(browser.findIdentifyingDetails?.(text, context), findIdentifyingDetails(text, context));
      same(browser.findEmergencySigns?.(text), findEmergencySigns(text));
      same(browser.removeIdentifyingDetails?.(text, context), removeIdentifyingDetails(text, context));
    }
  }, 180_000); // a thousand sentences, twice over, on a shared and loaded machine
});
