// The benchmark's load: a page measured in bursts interleaved with bursts of its references (the app's own
// hello route, and a bare Fastify server's hello and same-size page in another process), so that each ratio is
// taken between routes measured side by side, and the CPU one request costs each process on the machine.
import { readdir, readFile } from "node:fs/promises";
import autocannon from "autocannon";

export type PageRequest = { path: string; headers?: Record<string, string> };

/** Something to load: a server's address and the requests to send it (in turn). */
export interface Route {
  target: string;
  requests: PageRequest[];
}

/** What a page is measured beside. */
export interface References {
  /** The app's own hello route, on the instance the page is loaded from (it pays every hook the app runs). */
  appHello: Route;
  /** A bare Fastify server's hello-world route (bench/reference-server.mjs). */
  bareHello: Route;
  /** The same server sending a page of the thread page's bytes from memory: the floor for a cached page. */
  barePage: Route;
}

const REFERENCES = ["appHello", "bareHello", "barePage"] as const;
export type ReferenceName = (typeof REFERENCES)[number];

export interface LoadSettings {
  connections: number;
  /** Seconds of each route's measured load, split into `rounds` bursts. */
  duration: number;
  rounds: number;
  /** Seconds of the page alone before it is measured. */
  warmup: number;
}

/** What autocannon gives for a run with `skipAggregateResult`; `autocannon.aggregateResult` merges several. */
interface RawRun {
  totalCompletedRequests: number;
  duration: number;
}
const aggregateResult = (autocannon as unknown as { aggregateResult(runs: RawRun[], opts: { url: string }): autocannon.Result })
  .aggregateResult;

export function run(route: Route, settings: LoadSettings, duration: number, raw: boolean) {
  return autocannon({
    url: route.target,
    connections: settings.connections,
    duration,
    skipAggregateResult: raw,
    requests: route.requests.map((r) => ({ method: "GET", path: r.path, headers: r.headers })),
  });
}

/** CPU seconds used so far by a process (user + system), from /proc; 0 where /proc is missing. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** The PostgreSQL server's processes (postmaster and backends), by name. */
async function postgresPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, "utf8").catch(() => "");
    if (comm.trim() === "postgres") pids.push(Number(entry));
  }
  return pids;
}

/** Where the machine's CPU went: the app instance, PostgreSQL, and this process (autocannon). */
async function cpuSnapshot(appPid: number) {
  let postgres = 0;
  for (const pid of await postgresPids()) postgres += await cpuSeconds(pid);
  const self = process.cpuUsage();
  return { app: await cpuSeconds(appPid), postgres, load: (self.user + self.system) / 1e6 };
}

export interface LoadResult {
  reqPerSec: number;
  latency: autocannon.Result["latency"];
  errors: number;
  non2xx: number;
  /** Each reference's req/s in the bursts that alternated with the page's. */
  beside: Record<ReferenceName, number>;
  /**
   * CPU milliseconds per request of each reference's own server process (the app for its hello, the bare
   * server for the others): what a request costs, less swayed than req/s by how much of the machine a process got.
   */
  besideCpu: Record<ReferenceName, number>;
  /** The page's ratio to each reference, burst by burst: how far one ratio moves within the run. */
  roundRatios: Record<ReferenceName, number[]>;
  /** CPU milliseconds per request: the app instance, PostgreSQL, and autocannon (all on this machine). */
  cpu: { app: number; postgres: number; load: number };
  /** Latency on open connections (see `steadyLatency`). */
  steady: SteadyLatency;
}

export interface SteadyLatency {
  p50: number;
  p99: number;
  max: number;
  /** Requests counted. */
  n: number;
}

/** Seconds at the start of a steady run whose requests are not counted: the connections opening. */
const OPENING_SECONDS = 1;

/**
 * Latency with the connections open: one run of `seconds` after a first second that is not counted, every
 * request that started after it timed by autocannon. A burst's p99 also holds its first requests, sent the
 * moment 50 connections open at once; on this 2-core machine autocannon, busy parsing the first responses,
 * writes some connections' first request up to 200 ms after it starts their clocks (the server's own timing
 * of those requests reads 15–40 ms). A site's visitors do not open 50 connections in the same millisecond.
 */
export async function steadyLatency(route: Route, settings: LoadSettings, seconds: number): Promise<SteadyLatency> {
  const times: number[] = [];
  // autocannon's promise is also its instance, an event emitter (its typings give one or the other).
  const instance = run(route, settings, OPENING_SECONDS + seconds, false) as unknown as autocannon.Instance & PromiseLike<unknown>;
  const start = performance.now();
  instance.on("response", (_client, _status, _bytes, responseTime) => {
    if (performance.now() - responseTime - start >= OPENING_SECONDS * 1000) times.push(responseTime);
  });
  await instance;
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? 0);
  return { p50: at(0.5), p99: at(0.99), max: Math.round(times[times.length - 1] ?? 0), n: times.length };
}

/**
 * A page's measured load, in `rounds` bursts, each round the page and its three references in an order that
 * turns by one every round, so that a steady drift of the machine weighs on them alike. On this 2-core machine
 * the same route's req/s moves by a third from one 2 s burst to the next, and a ratio to a reference measured
 * minutes earlier said more about the machine than about the page (31% to 67% for the same page and code).
 */
export async function load(
  page: Route,
  refs: References,
  pids: { app: number; reference: number },
  settings: LoadSettings,
): Promise<LoadResult> {
  const appPid = pids.app;
  await run(page, settings, settings.warmup, false); // JIT, caches, connections
  const slice = settings.duration / settings.rounds;
  const pageRuns: RawRun[] = [];
  const refRuns: Record<ReferenceName, RawRun[]> = { appHello: [], bareHello: [], barePage: [] };
  const cpu = { app: 0, postgres: 0, load: 0 };
  const refCpu: Record<ReferenceName, number> = { appHello: 0, bareHello: 0, barePage: 0 };
  const order: ("page" | ReferenceName)[] = ["page", ...REFERENCES];
  for (let round = 0; round < settings.rounds; round++) {
    for (let i = 0; i < order.length; i++) {
      const which = order[(i + round) % order.length] as "page" | ReferenceName;
      if (which === "page") {
        const before = await cpuSnapshot(appPid);
        pageRuns.push((await run(page, settings, slice, true)) as unknown as RawRun);
        const after = await cpuSnapshot(appPid);
        for (const key of ["app", "postgres", "load"] as const) cpu[key] += after[key] - before[key];
      } else {
        const pid = which === "appHello" ? pids.app : pids.reference;
        const before = await cpuSeconds(pid);
        refRuns[which].push((await run(refs[which], settings, slice, true)) as unknown as RawRun);
        refCpu[which] += (await cpuSeconds(pid)) - before;
      }
    }
  }
  const completed = (runs: RawRun[]) => runs.reduce((n, r) => n + r.totalCompletedRequests, 0);
  const perSecond = (runs: RawRun[]) =>
    completed(runs) /
    Math.max(
      0.001,
      runs.reduce((s, r) => s + r.duration, 0),
    );
  const steady = await steadyLatency(page, settings, settings.duration);
  const result = aggregateResult(pageRuns, { url: page.target });
  const perRequest = (key: keyof typeof cpu) => (cpu[key] * 1000) / Math.max(1, completed(pageRuns));
  const beside = {} as Record<ReferenceName, number>;
  const besideCpu = {} as Record<ReferenceName, number>;
  const roundRatios = {} as Record<ReferenceName, number[]>;
  for (const name of REFERENCES) {
    beside[name] = perSecond(refRuns[name]);
    besideCpu[name] = (refCpu[name] * 1000) / Math.max(1, completed(refRuns[name]));
    roundRatios[name] = pageRuns.map((p, i) => perSecond([p]) / perSecond([refRuns[name][i] as RawRun]));
  }
  return {
    reqPerSec: perSecond(pageRuns),
    latency: result.latency,
    errors: result.errors,
    non2xx: result.non2xx,
    beside,
    besideCpu,
    roundRatios,
    // CPU milliseconds per request served (backends that ended during the run are missed: a slight undercount).
    cpu: { app: perRequest("app"), postgres: perRequest("postgres"), load: perRequest("load") },
    steady,
  };
}

/**
 * Latency one request at a time (what a person waits, without queueing behind 49 others): p50 and p95, after one
 * round that is not counted (as on a site that has been running: PostgreSQL's buffers and V8's code warm), and
 * the slowest request of that first round, reported beside them.
 */
export async function sequentialLatency(base: string, paths: string[], rounds: number, headers: Record<string, string> = {}) {
  const times: number[] = [];
  let cold = 0;
  for (const path of paths) {
    const start = performance.now();
    const res = await fetch(`${base}${path}`, { headers });
    await res.text();
    cold = Math.max(cold, performance.now() - start);
  }
  for (let round = 0; round < rounds; round++) {
    for (const path of paths) {
      const start = performance.now();
      const res = await fetch(`${base}${path}`, { headers });
      await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), n: times.length, cold };
}
