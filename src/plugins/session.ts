// Resolves the session cookie into `request.viewer` for every request, refreshing the cookie when Lucia
// extends the session, and offers `signIn` / `signOut` to the auth routes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Cookie } from "lucia";
import { hashSessionId } from "../auth/session-store.ts";
import type { SignedInUser } from "../auth/viewer.ts";
import { inboxCount } from "../physicians/inbox.ts";
import { isDatabaseUnavailable } from "./errors.ts";
import { FRESH_COOKIE } from "./page-cache.ts";

function setCookie(reply: FastifyReply, cookie: Cookie): void {
  reply.setCookie(cookie.name, cookie.value, cookie.attributes);
}

export async function signIn(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<void> {
  const { lucia } = request.server;
  // A new session at every sign-in, and the old one (if any) ended: no session fixation.
  if (request.session) await lucia.invalidateSession(request.session.id);
  const userAgent = (request.headers["user-agent"] ?? "").slice(0, 200) || null;
  const session = await lucia.createSession(userId, { userAgent });
  setCookie(reply, lucia.createSessionCookie(session.id));
  reply.renewCsrfSecret();
}

export async function signOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { lucia } = request.server;
  if (request.session) await lucia.invalidateSession(request.session.id);
  // Other instances hear of it from the database; this one need not wait.
  if (request.viewer) request.server.sessionCache?.forgetUser(request.viewer.id);
  setCookie(reply, lucia.createBlankSessionCookie());
}

type SessionRead = Awaited<ReturnType<FastifyInstance["lucia"]["validateSession"]>>;

/**
 * Whether this request may use a session kept in memory. A page view may (the page-cache plugin keeps them while
 * it hears PostgreSQL's change notices); a form post always asks the database, and so does a page view in the
 * seconds after the same browser sent a form (`FRESH_COOKIE`), so a person's own change (reading their
 * notifications, a new name) shows on their next page at once.
 */
function mayKeep(request: FastifyRequest): boolean {
  return request.server.sessionCache !== null && (request.method === "GET" || request.method === "HEAD") && !request.cookies[FRESH_COOKIE];
}

/** The session and person behind a cookie, from the database; kept in memory when `mayKeep`. */
async function readSession(request: FastifyRequest, sessionId: string): Promise<SessionRead> {
  const { lucia, sessionCache } = request.server;
  if (!sessionCache || !mayKeep(request)) return lucia.validateSession(sessionId);
  const key = hashSessionId(sessionId);
  const begun = sessionCache.begin();
  const result = await lucia.validateSession(sessionId);
  if (result.session) sessionCache.set(key, { session: result.session, user: result.user }, begun);
  return result;
}

export default fp(
  async function session(app: FastifyInstance) {
    app.decorateRequest("viewer", null);
    app.decorateRequest("session", null);
    /** The viewer a session read gives (its cookie refreshed or cleared as Lucia says), or null. */
    function useSession(request: FastifyRequest, reply: FastifyReply, { session, user }: SessionRead): SignedInUser | null {
      if (!session || !user) {
        setCookie(reply, app.lucia.createBlankSessionCookie());
        return null;
      }
      if (session.fresh) setCookie(reply, app.lucia.createSessionCookie(session.id));
      request.session = session;
      return {
        id: user.id,
        role: user.role,
        pseudonym: user.pseudonym,
        physician: user.physician,
        restriction: user.restriction,
        unreadNotifications: user.unreadNotifications,
        emailConfirmed: user.emailConfirmed,
        twoFactor: user.twoFactor,
      };
    }
    // A verified physician's header shows how many questions wait in their inbox.
    const needsInbox = (viewer: SignedInUser) => viewer.physician?.status === "VERIFIED";
    async function withInbox(viewer: SignedInUser): Promise<SignedInUser> {
      viewer.inboxCount = await inboxCount(app.db, viewer.id);
      return viewer;
    }

    async function resolve(request: FastifyRequest, reply: FastifyReply, sessionId: string) {
      let result: SessionRead;
      try {
        result = await readSession(request, sessionId);
      } catch (error) {
        // Database away: a page gets the 503 page. A form post carries on signed out (keeping the cookie), so
        // that it reaches its handler, whose own database error then returns the form with the person's text.
        if (isDatabaseUnavailable(error) && request.method !== "GET" && request.method !== "HEAD") {
          request.log.warn("database unavailable while reading the session");
          return;
        }
        throw error;
      }
      const viewer = useSession(request, reply, result);
      request.viewer = viewer && needsInbox(viewer) ? await withInbox(viewer) : viewer;
    }

    // Written with `done`: most signed-in page views find their session in memory and need no await at all.
    app.addHook("onRequest", (request, reply, done) => {
      if (request.url.startsWith("/public/") || request.url === "/healthz") return done();
      const sessionId = request.cookies[app.lucia.sessionCookieName];
      if (!sessionId) return done();
      const kept = mayKeep(request) ? request.server.sessionCache?.get(hashSessionId(sessionId), Date.now()) : undefined;
      if (!kept) {
        resolve(request, reply, sessionId).then(() => done(), done);
        return;
      }
      const viewer = useSession(request, reply, kept);
      if (!viewer || !needsInbox(viewer)) {
        request.viewer = viewer;
        return done();
      }
      withInbox(viewer).then((signedIn) => {
        request.viewer = signedIn;
        done();
      }, done);
    });
  },
  { name: "session", dependencies: ["csrf"] },
);
