// The in-memory session store's own rules: sessions Lucia must extend or end are not served, a read that
// straddles a change is not kept, a person's change drops all their sessions, and it stays within its bound.
import type { Session, User } from "lucia";
import { describe, expect, it } from "vitest";
import { type KeptSession, SessionCache } from "../../src/auth/session-cache.ts";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 22, 12);

function kept(userId: string, { expiresIn = 10 * HOUR, age = HOUR, fresh = false } = {}): KeptSession {
  const session = {
    id: `secret-${userId}`,
    userId,
    expiresAt: new Date(NOW + expiresIn),
    fresh,
    userAgent: null,
    createdAt: new Date(NOW - age),
  } as Session;
  return { session, user: { id: userId } as User };
}

describe("SessionCache", () => {
  // Idle life 12 h (extended in its second half, so after 6 h left), absolute life 30 days.
  const cache = () => new SessionCache(3, 6 * HOUR, 30 * 24 * HOUR);

  it("serves a kept session until Lucia would extend it, or until its absolute age", () => {
    const c = cache();
    c.set("k", kept("u1", { expiresIn: 7 * HOUR }), c.generation);
    expect(c.get("k", NOW)?.user.id).toBe("u1");
    expect(c.get("k", NOW + HOUR - 1)).toBeDefined();
    expect(c.get("k", NOW + HOUR)).toBeUndefined();
    expect(c.size).toBe(0);

    c.set("old", kept("u2", { age: 30 * 24 * HOUR - 1000 }), c.generation);
    expect(c.get("old", NOW)).toBeDefined();
    expect(c.get("old", NOW + 1000)).toBeUndefined();
  });

  it("keeps neither a session Lucia has just extended nor one read across a change", () => {
    const c = cache();
    c.set("fresh", kept("u1", { fresh: true }), c.generation);
    expect(c.get("fresh", NOW)).toBeUndefined();
    const begun = c.generation;
    c.forgetUser("someone else");
    c.set("late", kept("u1"), begun);
    expect(c.get("late", NOW)).toBeUndefined();
  });

  it("drops every session of a person at once, and no one else's", () => {
    const c = cache();
    c.set("phone", kept("u1"), c.generation);
    c.set("laptop", kept("u1"), c.generation);
    c.set("other", kept("u2"), c.generation);
    c.forgetUser("u1");
    expect(c.get("phone", NOW)).toBeUndefined();
    expect(c.get("laptop", NOW)).toBeUndefined();
    expect(c.get("other", NOW)?.user.id).toBe("u2");
  });

  it("holds at most its bound, dropping the least recently used", () => {
    const c = cache();
    for (const key of ["a", "b", "c"]) c.set(key, kept(key), c.generation);
    c.get("a", NOW);
    c.set("d", kept("d"), c.generation);
    expect(c.size).toBe(3);
    expect(c.get("b", NOW)).toBeUndefined();
    expect(c.get("a", NOW)).toBeDefined();
    c.clear();
    expect(c.size).toBe(0);
  });
});
