// Who may act in the queue, and the rules every decision shares: claims, and why a guarded decision changed nothing.
import { can } from "../auth/permissions.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { postKinds } from "../posts/kinds.ts";

export type ItemKind = "threads" | "replies" | "applications";

export const ALREADY_DECIDED = "Another moderator has already decided on this item. The queue below is up to date.";

export function requireModerator(viewer: Viewer, action: "moderate" | "reviewApplications" | "viewModerationQueue" = "moderate") {
  if (!viewer) throw new AppError("UNAUTHENTICATED", "Sign in as a moderator to use the queue.");
  if (!can(viewer, action)) throw new AppError("FORBIDDEN", "Only moderators can do that.");
  return viewer;
}

/** Who is working on an item, while their claim lasts. */
export function claimView(
  row: { claimedById: string | null; claimedAt: Date | null; claimedBy: { pseudonym: string } | null },
  viewer: Viewer,
) {
  if (!row.claimedById || !row.claimedAt || row.claimedAt.getTime() <= Date.now() - CLAIM_MS) return null;
  return {
    mine: row.claimedById === viewer?.id,
    by: row.claimedBy?.pseudonym ?? "another moderator",
    minutes: Math.max(1, Math.round((Date.now() - row.claimedAt.getTime()) / 60_000)),
  };
}
/** A claim lapses after this long, so an abandoned item returns to everyone. */
export const CLAIM_MS = 15 * 60 * 1000;

/** Items a moderator may act on: unclaimed, claimed by them, or with a lapsed claim. */
export function openTo(moderatorId: string) {
  return { OR: [{ claimedById: null }, { claimedById: moderatorId }, { claimedAt: { lt: new Date(Date.now() - CLAIM_MS) } }] };
}

/** Why a guarded decision changed nothing: someone else's live claim, an earlier decision, or no such item. */
export async function whyNot(db: Database, kind: ItemKind, id: number, moderatorId: string): Promise<string> {
  if (kind === "applications") {
    if (!(await exists(db, kind, id))) throw notFound("item");
    return ALREADY_DECIDED;
  }
  const row = await postKinds[kind].rows(db).find(id);
  if (!row) throw notFound("item");
  if (
    row.status === "PENDING" &&
    row.claimedById &&
    row.claimedById !== moderatorId &&
    row.claimedAt &&
    row.claimedAt.getTime() > Date.now() - CLAIM_MS
  ) {
    const minutes = Math.max(1, Math.round((Date.now() - row.claimedAt.getTime()) / 60_000));
    return `${row.claimedBy?.pseudonym ?? "Another moderator"} is working on this item (claimed ${minutes} minute${minutes === 1 ? "" : "s"} ago). Leave it to them, or take it over once the claim lapses.`;
  }
  return ALREADY_DECIDED;
}

export async function exists(db: Database, kind: ItemKind, id: number): Promise<boolean> {
  if (kind === "applications") return (await db.physicianProfile.count({ where: { id } })) > 0;
  return (await postKinds[kind].rows(db).count({ where: { id } })) > 0;
}
