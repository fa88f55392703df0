// The moderation service: the queue's reads (queue.ts), decisions on posts (decisions.ts) and on members
// (members.ts), as one object for the routes.
import type { Database } from "../db/client.ts";
import type { PostEvents } from "../posts/events.ts";
import { createModerationDecisions } from "./decisions.ts";
import { createMemberModeration } from "./members.ts";
import { createModerationQueue } from "./queue.ts";

export { CLAIM_MS, type ItemKind, requireModerator } from "./guard.ts";

export function createModerationService(db: Database, events: PostEvents) {
  return { ...createModerationQueue(db), ...createModerationDecisions(db, events), ...createMemberModeration(db) };
}

export type ModerationService = ReturnType<typeof createModerationService>;
