// A question written before joining, held with the sign-up and sent for review once the address is confirmed.
// It goes through threads.ask, so the one submit pipeline (src/posting/pipeline.ts) makes the hold decision.
import type { ThreadService } from "../threads/service.ts";
import type { HeldDraft } from "./schemas.ts";
import type { Viewer } from "./viewer.ts";

/** Sends the held question as its author through the usual pipeline; the new thread's id, or the reason it wasn't sent. */
export async function releaseHeldQuestion(
  threads: Pick<ThreadService, "ask">,
  viewer: Viewer,
  draft: HeldDraft,
  submissionKey: string,
): Promise<{ threadId: number } | { errors: Record<string, string> }> {
  const result = await threads.ask(viewer, {
    title: draft.title,
    body: draft.body,
    categoryId: draft.categoryId,
    to: draft.to ?? null,
    // The same sign-up confirmed twice makes one question.
    _submission: submissionKey,
    // The person saw the safety review before joining, when they first sent it.
    _reviewed: "as-written",
  });
  return result.ok ? { threadId: result.value.threadId } : { errors: result.errors };
}
