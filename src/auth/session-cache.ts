// Sessions kept in memory, so that a signed-in person's page views do not each start with the session statement.
// Only page views (GET and HEAD) read it; every form post reads the session from the database, so a write is
// always authorised by what the database says now. An entry is dropped when PostgreSQL says the person changed:
// triggers notify at commit when their sessions, their account or their notifications change (see the
// page-cache plugin, which listens), and nothing is kept or read while that notice cannot be heard.
import type { Session, User } from "lucia";
import { TaggedCache } from "../lib/tagged-cache.ts";

export interface KeptSession {
  session: Session;
  user: User;
}

/** Kept under its person's id (a tag), and counted as one against the bound. */
type Entry = KeptSession & { tags: [string]; bytes: 1 };

export class SessionCache {
  /** By the session's hash, as the database keeps it: the cookie's secret is not held here. */
  private readonly store: TaggedCache<Entry>;

  /**
   * @param halfIdleMs Lucia extends a session in the second half of its idle life; such a session is not served
   *   from here, so that Lucia does.
   * @param absoluteMs Sessions end at this age, whatever the activity.
   */
  constructor(
    maxEntries: number,
    private readonly halfIdleMs: number,
    private readonly absoluteMs: number,
  ) {
    this.store = new TaggedCache<Entry>(maxEntries);
  }

  /** Bumped by every drop: a session read across one is not kept, as it may be stale. */
  get generation(): number {
    return this.store.generation;
  }

  get(key: string, now: number): KeptSession | undefined {
    const kept = this.store.get(key);
    if (!kept) return undefined;
    const createdAt = kept.session.createdAt?.getTime() ?? 0;
    if (now >= kept.session.expiresAt.getTime() - this.halfIdleMs || now >= createdAt + this.absoluteMs) {
      this.store.delete(key);
      return undefined;
    }
    return kept;
  }

  /** Keeps a session read from the database, unless a change was heard since `begun` (the read may predate it). */
  set(key: string, kept: KeptSession, begun: number): void {
    if (begun !== this.generation || kept.session.fresh) return;
    this.store.set(key, { session: kept.session, user: kept.user, tags: [kept.user.id], bytes: 1 });
  }

  /** Drops every session of a person whose sessions, account or notifications changed. */
  forgetUser(userId: string): void {
    this.store.invalidate([userId]);
  }

  clear(): void {
    this.store.clear();
  }

  get size(): number {
    return this.store.size;
  }
}
