// Reads that may be a moment stale, sent to a streaming replica (DATABASE_READ_URL). `reader` is a client that
// read-mostly services receive instead of the primary: inside `onReplica(fn)` its reads go to the replica, and
// everywhere else (and for every write, transaction and raw statement that changes something) to the primary.
// Which requests run inside `onReplica` is the read-replica plugin's decision (src/plugins/read-replica.ts).
// Positions in the write-ahead log (LSNs) say what the replica has replayed: a browser that just wrote carries
// the primary's position, and the page cache stores a replica's page only once the replica has replayed every
// change it has heard of.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Database, PreparedReader } from "./client.ts";

/** A position in PostgreSQL's write-ahead log. */
export type Lsn = bigint;

/** "16/B374D848" → a number that compares; null for anything else. */
export function parseLsn(text: string | null | undefined): Lsn | null {
  const match = typeof text === "string" ? /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text) : null;
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Model methods that only read: the ones Prisma's own read-replicas extension sends to a replica. */
const MODEL_READS = new Set([
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "findUnique",
  "findUniqueOrThrow",
  "groupBy",
  "aggregate",
  "count",
]);
/** The services handed `reader` read with $queryRaw (search, tags, typical wait); they never write with it. */
const RAW_READS = new Set(["$queryRaw", "$queryRawUnsafe"]);

export interface ReplicaStatus {
  /** Up: answering its probe; down: reads go to the primary until it answers again. */
  state: "up" | "down";
  /** What it has replayed, as far as this instance knows. */
  replayed: string | null;
  /** Bytes of write-ahead log between the last change this instance heard of and the replica's position. */
  behindBytes: number;
}

interface Options {
  primary: Database;
  replica: Database;
  /** Errors that mean the replica cannot answer (connection refused, dropped, a standby's conflict). */
  isUnavailable: (error: unknown) => boolean;
  warn: (details: object, message: string) => void;
  info: (message: string) => void;
  /** How often the replica is asked whether it is up and what it has replayed. */
  probeMs?: number;
  /** How long the replica may stay behind a change heard before its pages are too old to show. */
  maxLagMs?: number;
}

export class ReadRouting {
  readonly reader: Database;
  private readonly scope = new AsyncLocalStorage<true>();
  private up = true;
  private replayed: Lsn = 0n;
  private refreshing: Promise<Lsn | null> | null = null;
  /** The primary's position just after the last change heard (its notice comes after its commit). */
  private fence: Lsn = 0n;
  /** Change notices whose fence is still being read; no replica page is cacheable meanwhile. */
  private pendingFences = 0;
  /** A fence could not be read: no replica page is cacheable until a later one is. */
  private fenceUnknown = false;
  private timer: NodeJS.Timeout | undefined;
  /** When a request first found the replica behind the last change heard; null while it keeps up. */
  private behindSince: number | null = null;
  private lagReported = false;

  constructor(private readonly options: Options) {
    this.reader = routedClient(options.primary, options.replica, this);
  }

  /** Starts probing the replica in the background (and probes it once now). */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.probeMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Runs `fn` (and everything it starts) with `reader`'s reads on the replica. */
  onReplica<T>(fn: () => T): T {
    return this.scope.run(true, fn);
  }

  get usesReplica(): boolean {
    return this.scope.getStore() === true && this.up;
  }

  /** The replica's connection pool, for its counters (metrics). */
  get replicaPool(): Database["pool"] {
    return this.options.replica.pool;
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Whether the replica has replayed `lsn`; asks it (once for all waiting callers) when not known yet. */
  async hasReplayed(lsn: Lsn): Promise<boolean> {
    if (this.replayed >= lsn) return true;
    await this.refresh();
    return this.replayed >= lsn;
  }

  /**
   * Whether a page rendered from the replica now may be stored for everyone: the replica has replayed past the
   * primary's position at the last change this instance heard of.
   */
  async cacheable(): Promise<boolean> {
    if (this.pendingFences > 0 || this.fenceUnknown) return false;
    const caughtUp = await this.hasReplayed(this.fence);
    if (caughtUp) this.behindSince = null;
    else if (this.behindSince === null) this.behindSince = Date.now();
    return caughtUp;
  }

  /**
   * Behind the last change heard for longer than `maxLagMs` (replay paused, a slow disk): its pages are too old
   * to show, and rendering them uncached on every view would load it further. Reads go to the primary meanwhile.
   */
  get tooFarBehind(): boolean {
    const behind = this.behindSince !== null && Date.now() - this.behindSince > (this.options.maxLagMs ?? 30_000);
    if (behind && !this.lagReported)
      this.options.warn({ replica: this.status() }, "read replica lags behind: reading from the primary until it catches up");
    this.lagReported = behind;
    return behind;
  }

  /** The primary's current position: what a browser that just wrote must find on the replica. */
  async primaryPosition(): Promise<Lsn | null> {
    const { rows } = await this.options.primary.pool.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
    return parseLsn(rows[0]?.lsn);
  }

  /** A change notice arrived (the page cache dropped pages): replica pages made before it replays are stale. */
  noteChange(): void {
    this.pendingFences++;
    this.primaryPosition()
      .then((lsn) => {
        if (lsn === null) throw new Error("no WAL position");
        if (lsn > this.fence) this.fence = lsn;
        this.fenceUnknown = false;
      })
      .catch(() => {
        this.fenceUnknown = true;
      })
      .finally(() => {
        this.pendingFences--;
      });
  }

  /** The replica's own trouble: unreachable, or a standby that refused (read-only, or a conflict with recovery). */
  replicaFailed(error: unknown): boolean {
    return this.options.isUnavailable(error);
  }

  /** A query on the replica failed as if it were away: reads go to the primary until its probe answers. */
  markDown(error: unknown): void {
    if (this.up) this.options.warn({ err: error }, "read replica unreachable: reading from the primary until it answers again");
    this.up = false;
  }

  status(): ReplicaStatus {
    return {
      state: this.up ? "up" : "down",
      replayed: this.replayed > 0n ? formatLsn(this.replayed) : null,
      behindBytes: this.fence > this.replayed ? Number(this.fence - this.replayed) : 0,
    };
  }

  /** Asks the replica what it has replayed; on a server that is not a standby, its own position. */
  private refresh(): Promise<Lsn | null> {
    this.refreshing ??= this.options.replica.pool
      .query<{ lsn: string | null }>(
        "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn",
      )
      .then(({ rows }) => {
        const lsn = parseLsn(rows[0]?.lsn);
        if (lsn !== null && lsn > this.replayed) this.replayed = lsn;
        if (!this.up) this.options.info("read replica answers again: signed-out reads go to it");
        this.up = true;
        return lsn;
      })
      .catch((error: unknown) => {
        this.markDown(error);
        return null;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }
}

/**
 * The primary's client with its reads sent to the replica while `routing.usesReplica`. A read that finds the
 * replica away is run again on the primary, so a replica outage costs a retry, never an error page.
 */
function routedClient(primary: Database, replica: Database, routing: ReadRouting): Database {
  const fallback = async <T>(onReplica: () => Promise<T>, onPrimary: () => Promise<T>): Promise<T> => {
    try {
      return await onReplica();
    } catch (error) {
      if (!routing.replicaFailed(error)) throw error;
      routing.markDown(error);
      return onPrimary();
    }
  };
  const read =
    <A extends unknown[], T>(pick: (db: Database) => (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> =>
      routing.usesReplica
        ? fallback(
            () => pick(replica)(...args),
            () => pick(primary)(...args),
          )
        : pick(primary)(...args);

  const prepared: PreparedReader = {
    rows: read((db) => db.prepared.rows.bind(db.prepared)) as PreparedReader["rows"],
    table: read((db) => db.prepared.table.bind(db.prepared)) as PreparedReader["table"],
  };
  const delegates = new Map<string, object>();
  const delegate = (model: string): object => {
    let routed = delegates.get(model);
    if (!routed) {
      type Delegate = Record<string, (...args: unknown[]) => Promise<unknown>>;
      const of = (db: Database) => (db as unknown as Record<string, Delegate>)[model] as Delegate;
      routed = new Proxy(of(primary), {
        get(target, method) {
          const value = Reflect.get(target, method);
          if (typeof value !== "function") return value;
          if (typeof method !== "string" || !MODEL_READS.has(method)) return value.bind(target);
          return read((db) => {
            const d = of(db);
            return (d[method] as Delegate[string]).bind(d);
          });
        },
      });
      delegates.set(model, routed);
    }
    return routed;
  };
  return new Proxy(primary, {
    get(target, property) {
      if (property === "prepared") return prepared;
      if (typeof property === "string" && RAW_READS.has(property)) {
        return read((db) => {
          const raw = (db as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[property] as (
            ...args: unknown[]
          ) => Promise<unknown>;
          return raw.bind(db);
        });
      }
      const value = Reflect.get(target, property);
      if (typeof property === "string" && !property.startsWith("$") && value && typeof value === "object" && "findMany" in value) {
        return delegate(property);
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
