// Where posts live: a thread's address and a reply's place on it. Made here so no one writes them by hand.
import { slugify } from "../lib/slug.ts";

export function threadUrl(thread: { id: number; title: string }): string {
  return `/t/${thread.id}/${slugify(thread.title)}`;
}

/** A reply's anchor on its thread's first address (`page` > 1 names the page that shows it). */
export function replyUrl(thread: { id: number; title: string }, replyId: number, page = 1): string {
  return `${threadUrl(thread)}${page > 1 ? `?page=${page}` : ""}#reply-${replyId}`;
}

/** A reply's address without its thread's slug: the slug is made from the title, which is health content. */
export function replyPathWithoutSlug(threadId: number, replyId: number): string {
  return `/t/${threadId}#reply-${replyId}`;
}
