// Sessions kept in memory, so that a signed-in person's page views do not each start with the session statement.
// Only page views (GET and HEAD) read it; every form post reads the session from the database, so a write is
// always authorised by what the database says now. An entry is dropped when PostgreSQL says the person changed:
// triggers notify at commit when their sessions, their account or their notifications change (see the
// page-cache plugin, which listens), and nothing is kept or read while that notice cannot be heard.
import type { Session, User } from "lucia";

export interface KeptSession {
  session: Session;
  user: User;
}

export class SessionCache {
  /** By the session's hash, as the database keeps it: the cookie's secret is not held here. */
  private entries = new Map<string, KeptSession>();
  private byUser = new Map<string, Set<string>>();
  /** Bumped by every drop: a session read across one is not kept, as it may be stale. */
  generation = 0;

  /**
   * @param halfIdleMs Lucia extends a session in the second half of its idle life; such a session is not served
   *   from here, so that Lucia does.
   * @param absoluteMs Sessions end at this age, whatever the activity.
   */
  constructor(
    private readonly maxEntries: number,
    private readonly halfIdleMs: number,
    private readonly absoluteMs: number,
  ) {}

  get(key: string, now: number): KeptSession | undefined {
    const kept = this.entries.get(key);
    if (!kept) return undefined;
    const createdAt = kept.session.createdAt?.getTime() ?? 0;
    if (now >= kept.session.expiresAt.getTime() - this.halfIdleMs || now >= createdAt + this.absoluteMs) {
      this.delete(key);
      return undefined;
    }
    // Least recently used goes first.
    this.entries.delete(key);
    this.entries.set(key, kept);
    return kept;
  }

  /** Keeps a session read from the database, unless a change was heard since `begun` (the read may predate it). */
  set(key: string, kept: KeptSession, begun: number): void {
    if (begun !== this.generation || kept.session.fresh) return;
    this.delete(key);
    this.entries.set(key, kept);
    const keys = this.byUser.get(kept.user.id) ?? new Set<string>();
    this.byUser.set(kept.user.id, keys);
    keys.add(key);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  /** Drops every session of a person whose sessions, account or notifications changed. */
  forgetUser(userId: string): void {
    this.generation++;
    for (const key of this.byUser.get(userId) ?? []) this.entries.delete(key);
    this.byUser.delete(userId);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.byUser.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string): void {
    const kept = this.entries.get(key);
    if (!kept) return;
    this.entries.delete(key);
    const keys = this.byUser.get(kept.user.id);
    keys?.delete(key);
    if (keys?.size === 0) this.byUser.delete(kept.user.id);
  }
}
