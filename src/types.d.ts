// Fastify decorations added by Curbside's plugins.
import type { Session } from "lucia";
import type { RouteEntry } from "./app.ts";
import type { AttemptCounter } from "./auth/attempt-limit.ts";
import type { AppLucia } from "./auth/lucia.ts";
import type { SignInThrottle } from "./auth/sign-in-throttle.ts";
import type { Viewer } from "./auth/viewer.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import type { PasswordHasher } from "./lib/passwords.ts";
import type { RenderOptions } from "./plugins/views.ts";
import type { PostEvents } from "./posts/events.ts";

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
    db: Database;
    /** For reads that may be a moment stale: the replica's where allowed (plugins/read-replica.ts); else `db`. */
    reader: Database;
    lucia: AppLucia;
    passwords: PasswordHasher;
    routeTable: RouteEntry[];
    signInThrottle: SignInThrottle;
    /** Limits on mailed-link requests per address and per IP (see auth/attempt-limit.ts). */
    attempts: AttemptCounter;
    /** Signs mailed links, unsubscribe links and half-finished sign-ins. */
    appSecret: string;
    /** What happens to posts, told to notifications and mail (see src/posts/events.ts). */
    postEvents: PostEvents;
    /** Starts answering new requests with 503 before the server closes. */
    startDraining(): void;
  }
  interface FastifyRequest {
    viewer: Viewer;
    session: Session | null;
    csrfValid: boolean | undefined;
  }
  interface FastifyReply {
    render(view: string, model: Record<string, unknown>, options?: RenderOptions): FastifyReply;
  }
}
