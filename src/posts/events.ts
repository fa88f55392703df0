// What happens to posts, told to whoever registered to hear it (notifications, mail), in the style of Ghost's
// DomainEvents: the code that publishes never imports what reacts. Handlers run inside the publishing
// transaction, so nothing unapproved is announced and nothing published is missed. The list is filled once,
// when the app is built (src/app.ts); the page cache hears of changes from the database itself (LISTEN).
import type { Prisma } from "../generated/prisma/client.ts";
import type { PostKind } from "./kinds.ts";

export type Decision = "approved" | "rejected" | "changes" | "hidden" | "reported" | "edit-approved" | "edit-rejected";

export type PostEvent =
  | {
      type: "question-published";
      thread: { id: number; title: string; categoryId: number; authorId: string; kind: string; addressedToId?: string | null };
    }
  | { type: "reply-published"; reply: { id: number; threadId: number; authorId: string; parentId: number | null } }
  | { type: "post-decided"; kind: PostKind; id: number; decision: Decision; reason?: string | null; note?: string | null };

export type PostEventHandler = (tx: Prisma.TransactionClient, event: PostEvent) => Promise<void>;

export class PostEvents {
  readonly #handlers: PostEventHandler[] = [];

  on(handler: PostEventHandler): this {
    this.#handlers.push(handler);
    return this;
  }

  /** Tells every handler, one after another: a transaction is one connection, which runs one statement at a time. */
  async emit(tx: Prisma.TransactionClient, event: PostEvent): Promise<void> {
    for (const handler of this.#handlers) await handler(tx, event);
  }
}
