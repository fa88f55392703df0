// Which requests read from the replica (src/db/read-routing.ts, on when DATABASE_READ_URL is set): page views
// (GET, HEAD) without a session cookie, once the replica has replayed what this browser last wrote. Everything
// else reads from the primary: forms, every signed-in page (the session read, a person's own drafts, held posts
// and notifications), and everything while the replica is away.
// After a form, the browser carries the primary's WAL position for a minute (WROTE_COOKIE): whichever instance
// answers next sends its reads to the primary until the replica has replayed that position, so a person who
// signs out or unsubscribes finds their change at once. A forged value only sends that browser to the primary.
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { formatLsn, parseLsn, type ReadRouting } from "../db/read-routing.ts";

export const WROTE_COOKIE = "curbside_wrote";
const WROTE_SECONDS = 60;

/** Pages read from a replica that may not have replayed the last change heard: shown, never stored (page-cache.ts). */
export const unstorable = new WeakSet<FastifyRequest>();

declare module "fastify" {
  interface FastifyInstance {
    /** Null unless DATABASE_READ_URL is set. */
    readRouting: ReadRouting | null;
  }
}

/** Whether this request's reads go to the replica, and whether what it renders may be stored for everyone. */
async function decide(routing: ReadRouting, wrote: string | undefined): Promise<{ replica: boolean; storable: boolean }> {
  const position = parseLsn(wrote);
  if (position !== null && !(await routing.hasReplayed(position))) return { replica: false, storable: true };
  const storable = await routing.cacheable();
  if (!storable && routing.tooFarBehind) return { replica: false, storable: true };
  return { replica: true, storable };
}

export default fp(
  async function readReplica(app: FastifyInstance) {
    const routing = app.readRouting;
    if (!routing) return;
    const sessionCookie = app.lucia.sessionCookieName;
    app.addHook("onRequest", (request, _reply, done) => {
      const read = request.method === "GET" || request.method === "HEAD";
      if (!read || request.cookies[sessionCookie] || !routing.isUp) return done();
      decide(routing, request.cookies[WROTE_COOKIE]).then(
        ({ replica, storable }) => {
          if (!storable) unstorable.add(request);
          // Everything the request does from here on (hooks, handler, services) runs in this scope.
          if (replica) routing.onReplica(done);
          else done();
        },
        () => done(),
      );
    });
    app.addHook("onSend", (request, reply, payload, done) => {
      if (request.method === "GET" || request.method === "HEAD" || reply.statusCode >= 400) return done(null, payload);
      routing
        .primaryPosition()
        .catch(() => null)
        .then((position) => {
          if (position !== null) {
            reply.setCookie(WROTE_COOKIE, formatLsn(position), {
              path: "/",
              maxAge: WROTE_SECONDS,
              httpOnly: true,
              sameSite: "lax",
              secure: app.config.secureCookies,
            });
          }
          done(null, payload);
        }, done);
    });
    app.addHook("onClose", async () => routing.stop());
  },
  { name: "read-replica", dependencies: ["session"] },
);
