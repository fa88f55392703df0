// Lucia, configured for Curbside: idle expiry from config, cookie hardened, `__Host-` prefix when served over HTTPS.
import { Lucia, TimeSpan } from "lucia";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { createSessionStore } from "./session-store.ts";
import type { PhysicianBadge, Restriction } from "./viewer.ts";

export function createLucia(db: Database, config: Pick<Config, "secureCookies" | "session">) {
  return new Lucia(createSessionStore(db, { absoluteMs: config.session.absoluteMs }), {
    sessionExpiresIn: new TimeSpan(Math.round(config.session.idleMs / 1000), "s"),
    sessionCookie: {
      name: config.secureCookies ? "__Host-curbside_session" : "curbside_session",
      expires: true,
      attributes: { secure: config.secureCookies, sameSite: "lax" },
    },
    getSessionAttributes: (attributes) => attributes,
    getUserAttributes: (attributes) => attributes,
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    DatabaseUserAttributes: {
      role: Role;
      pseudonym: string;
      physician: PhysicianBadge | null;
      restriction: Restriction | null;
      unreadNotifications: number;
      emailConfirmed: boolean;
      twoFactor: boolean;
    };
    DatabaseSessionAttributes: { userAgent: string | null; createdAt?: Date; authenticatedAt?: Date };
  }
}
