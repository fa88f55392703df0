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

/**
 * The session and person behind a cookie. A page view may be served from the sessions kept in memory (the
 * page-cache plugin keeps them while it hears PostgreSQL's change notices); a form post always asks the
 * database, and so does a page view in the seconds after the same browser sent a form (`FRESH_COOKIE`), so a
 * person's own change (reading their notifications, a new name) shows on their next page at once.
 */
async function readSession(request: FastifyRequest, sessionId: string) {
  const { lucia, sessionCache } = request.server;
  const mayKeep = sessionCache !== null && (request.method === "GET" || request.method === "HEAD") && !request.cookies[FRESH_COOKIE];
  if (!mayKeep) return lucia.validateSession(sessionId);
  const key = hashSessionId(sessionId);
  const kept = sessionCache.get(key, Date.now());
  if (kept) return kept;
  const begun = sessionCache.begin();
  const result = await lucia.validateSession(sessionId);
  if (result.session) sessionCache.set(key, { session: result.session, user: result.user }, begun);
  return result;
}

export default fp(
  async function session(app: FastifyInstance) {
    app.decorateRequest("viewer", null);
    app.decorateRequest("session", null);
    app.addHook("onRequest", async (request, reply) => {
      if (request.url.startsWith("/public/") || request.url === "/healthz") return;
      const sessionId = request.cookies[app.lucia.sessionCookieName];
      if (!sessionId) return;
      let result: Awaited<ReturnType<typeof app.lucia.validateSession>>;
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
      const { session, user } = result;
      if (!session || !user) {
        setCookie(reply, app.lucia.createBlankSessionCookie());
        return;
      }
      if (session.fresh) setCookie(reply, app.lucia.createSessionCookie(session.id));
      request.session = session;
      const signedIn: SignedInUser = {
        id: user.id,
        role: user.role,
        pseudonym: user.pseudonym,
        physician: user.physician,
        restriction: user.restriction,
        unreadNotifications: user.unreadNotifications,
        emailConfirmed: user.emailConfirmed,
        twoFactor: user.twoFactor,
      };
      // A verified physician's header shows how many questions wait in their inbox.
      if (user.physician?.status === "VERIFIED") signedIn.inboxCount = await inboxCount(app.db, user.id);
      request.viewer = signedIn;
    });
  },
  { name: "session", dependencies: ["csrf"] },
);
