// A reply's address: the page of its thread that shows it, and its anchor.
import type { Viewer } from "../auth/viewer.ts";
import type { Database } from "../db/client.ts";
import { replyUrl } from "../posts/urls.ts";
import { ROOTS_PER_PAGE } from "./limits.ts";
import { readReplyPosition } from "./page-queries.ts";

/**
 * The address of a reply: its thread's page that shows it (the pages' order puts the accepted answer's
 * top-level reply first, then the rest by id) and its anchor.
 */
export async function urlOfReply(
  db: Database,
  viewer: Viewer,
  thread: { id: number; title: string },
  reply: { id: number; rootId: number | null },
): Promise<string> {
  const position = await readReplyPosition(db, viewer, thread.id, reply.rootId ?? reply.id);
  const page = Math.max(1, Math.ceil(position / ROOTS_PER_PAGE));
  return replyUrl(thread, reply.id, page);
}
