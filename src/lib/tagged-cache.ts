// A least-recently-used store under tags, bounded by the sum of its entries' `bytes`: the anonymous pages and
// the shared fragments of pages (plugins/page-cache.ts), and the sessions kept for page views
// (auth/session-cache.ts, one "byte" per session). A tag names what an entry was made from; `invalidate`
// drops every entry under it.
export class TaggedCache<E extends { tags: string[]; bytes: number }> {
  private entries = new Map<string, E>();
  private byTag = new Map<string, Set<string>>();
  private bytes = 0;
  /** Bumped by every invalidation: an entry made across one is not stored, as it may be stale. */
  generation = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): E | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Least recently used goes first: re-insert to mark as recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: E): void {
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag) ?? new Set<string>();
      this.byTag.set(tag, keys);
      keys.add(key);
    }
    while (this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      // A tag per person (sessions) would otherwise leave an empty set behind for everyone ever seen.
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }

  /** Drops every entry under these tags (`delete` drops a tag's set once it is empty). */
  invalidate(tags: string[]): void {
    this.generation++;
    for (const tag of tags) {
      for (const key of this.byTag.get(tag) ?? []) this.delete(key);
    }
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}
