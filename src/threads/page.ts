// A thread page for one request's reader: what the routes call, never knowing whether it was built on the page
// everyone shares (kept in the fragment cache) or read and rendered for this reader alone.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Handlebars from "handlebars";
import type { ThreadRead } from "./page-view.ts";
import { type CutList, createReplyList } from "./reply-list.ts";
import type { ThreadService } from "./service.ts";

export function createThreadPages(app: FastifyInstance, threads: ThreadService) {
  const replyList = createReplyList(app);

  /** A page of a thread as everyone sees it: kept (under its thread's tag) and shared by signed-in readers' pages. */
  interface SharedPage {
    read: ThreadRead;
    list: CutList;
  }

  /**
   * One page of a thread for this request's reader: its view-model, and its list of replies as HTML. A signed-in
   * reader whose page is everyone's page plus their own buttons (most of them) gets it built on the shared page,
   * read and rendered once per change, with one small statement of their own (`viewerState`); anyone else gets
   * the page read and rendered for them.
   */
  return async function threadPageFor(request: FastifyRequest, reply: FastifyReply, id: number, page: number) {
    const viewer = request.viewer;
    const fragments = app.fragmentCache;
    if (viewer && fragments?.servesTo(request)) {
      const state = await threads.viewerState(viewer, id);
      if (state) {
        const key = `thread-page:${id}:${page}`;
        let shared = fragments.get<SharedPage>(key);
        if (!shared) {
          const begun = fragments.begin();
          const read = await threads.publicThreadRead(id, page);
          if (read) {
            shared = { read, list: replyList.cut((await threads.threadView(null, read, page)).replies) };
            // Its HTML (two bytes a character at most) and about as much again for the rows it was made from, and
            // the thread's own text and a floor for the rest: a page past the end, with no replies, is not free.
            const bytes = 4 * shared.list.length + 2 * (read.thread?.body.length ?? 0) + 4096;
            fragments.set(key, shared, [`thread:${id}`], bytes, begun);
          }
        }
        if (shared) {
          const data = await threads.threadView(viewer, shared.read, page, state);
          return { data, replyList: new Handlebars.SafeString(replyList.fill(shared.list, data.replyById, reply.csrfToken)) };
        }
      }
    }
    const data = await threads.threadPage(viewer, id, page);
    return { data, replyList: new Handlebars.SafeString(replyList.render(data.replies, reply.csrfToken)) };
  };
}
