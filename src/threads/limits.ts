// How much a thread page and a category page show, and how deep replies nest.

/** Top-level replies per page; their whole sub-threads come with them. */
export const ROOTS_PER_PAGE = 20;
/** Replies nest this many levels (0 … MAX_DEPTH); a reply to the deepest level attaches beside it. */
export const MAX_DEPTH = 4;
export const THREADS_PER_PAGE = 20;
