// Server-rendered pages: Handlebars with a layout, partials and a small set of helpers.
// `reply.render` adds what every page needs (who is signed in, a CSRF token, the page title) to a view-model.
import { channel } from "node:diagnostics_channel";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import fastifyView from "@fastify/view";
import type { FastifyInstance, FastifyReply } from "fastify";
import fp from "fastify-plugin";
import Handlebars from "handlebars";
import { isStaff, isVerifiedPhysician, roleLabel, signedName } from "../auth/viewer.ts";
import { HELPER_NAMES, registerHelpers } from "../lib/view-helpers.ts";

export interface RenderOptions {
  status?: number;
  title?: string;
}

function listPartials(root: string, dir: string): Record<string, string> {
  const partials: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(partials, listPartials(root, full));
    else if (entry.name.endsWith(".hbs")) partials[relative(join(root, "partials"), full).replace(/\.hbs$/, "")] = relative(root, full);
  }
  return partials;
}

/**
 * A template's own text with every non-ASCII character written as a character reference (`·` as `&#xb7;`),
 * leaving what is inside {{ }} as it is. Browsers read the same page; for us, a page whose every piece is
 * ASCII is a one-byte string in V8, which node measures and encodes for the socket about three times faster
 * than a string holding one character beyond Latin-1 (a rope of 117,000 characters: 0.22 ms against 0.64 ms).
 * Templates have no inline <script> or <style>, the only elements where a reference would not be read.
 */
export function asciiTemplate(source: string): string {
  return source.replace(/(\{\{!--[\s\S]*?--\}\}|\{\{[\s\S]*?\}\})|[^\x00-\x7F]/gu, (found, mustache: string | undefined) =>
    mustache !== undefined ? mustache : `&#x${(found.codePointAt(0) as number).toString(16)};`,
  );
}

/**
 * A template's own text with each run of whitespace that holds a line break cut to one line break: the
 * indentation of templates, and the blank lines left where an {{#if}} printed nothing, were 2 KB of a 35 KB
 * thread page, sent, and parsed by every reader. A browser reads the same page: between elements and in text,
 * a line break is whitespace like any other run of it. What is inside {{ }}, <textarea> and <pre> is left as it is.
 */
export function compactWhitespace(source: string): string {
  return source.replace(/(\{\{!--[\s\S]*?--\}\}|\{\{[\s\S]*?\}\}|<(textarea|pre)\b[\s\S]*?<\/\2>)|[ \t]*\n\s*/gu, (_found, kept) =>
    kept !== undefined ? kept : "\n",
  );
}

/**
 * Told of every template compiled (the source's length), so a test or a profiler can see templates being
 * compiled at render time, which only `npm run dev` (TEMPLATE_RELOAD) should do. Costs nothing unsubscribed.
 */
export const templateCompiled = channel("curbside:views:compile");

/** Handlebars' built-in block helpers, ours (lib/view-helpers.ts) and "asset" (below). */
const KNOWN_HELPERS = Object.fromEntries(
  [...["if", "unless", "each", "with", "lookup", "log"], ...HELPER_NAMES, "asset"].map((name) => [name, true]),
);

/** A compiled template: a view-model in, HTML out (`partials` replaces named partials for this call). */
export type CompiledView = (
  context: unknown,
  options?: { partials?: Record<string, (context: never) => string>; data?: unknown },
) => string;

declare module "fastify" {
  interface FastifyInstance {
    /** Compiles template text with the pages' helpers, partials and options, for a piece of a page. */
    compileView(source: string): CompiledView;
  }
  interface FastifyReply {
    /** This response's CSRF token, made the first time it is printed. */
    csrfToken: { toString(): string };
    /** Holds `csrfToken` once asked for; null before. */
    csrfTokenHolder: { toString(): string } | null;
  }
}

export default fp(
  async function views(app: FastifyInstance, opts: { root: string }) {
    const handlebars = Handlebars.create();
    const compile = handlebars.compile.bind(handlebars);
    handlebars.compile = ((source: unknown, options?: Parameters<typeof Handlebars.compile>[1]) => {
      if (templateCompiled.hasSubscribers) templateCompiled.publish({ length: typeof source === "string" ? source.length : 0 });
      return compile(typeof source === "string" ? asciiTemplate(compactWhitespace(source)) : source, options);
    }) as typeof handlebars.compile;
    registerHelpers(handlebars);
    /** The fingerprinted address of a file in public/, e.g. {{asset "styles.css"}}. */
    handlebars.registerHelper("asset", (name: unknown) => app.assetUrl(String(name)));
    const compileOptions = { preventIndent: true, knownHelpersOnly: true, knownHelpers: KNOWN_HELPERS };
    const partials = listPartials(opts.root, join(opts.root, "partials"));
    // @fastify/view registers the partials when it starts when templates are kept, and again at every page it
    // renders when they reload (so that edited files show). Pieces compiled with `compileView` may render before any page
    // has, so they are registered here as well.
    for (const [name, file] of Object.entries(partials)) {
      handlebars.registerPartial(name, handlebars.compile(readFileSync(join(opts.root, file), "utf8"), compileOptions));
    }
    app.decorate("compileView", (source: string) => handlebars.compile(source, compileOptions) as CompiledView);
    // Every page's CSRF token, made once and only when printed (a page without a form sets no cookie). Kept on
    // the reply itself, not in a WeakMap keyed by the reply: a holder that refers back to its key kept every reply
    // (and its response) alive through the young-generation collections, until the next full collection.
    app.decorateReply("csrfTokenHolder", null);
    app.decorateReply("csrfToken", {
      getter(this: FastifyReply) {
        let holder = this.csrfTokenHolder;
        if (!holder) {
          let token: string | undefined;
          holder = {
            toString: () => {
              token ??= this.generateCsrf();
              return token;
            },
          };
          this.csrfTokenHolder = holder;
        }
        return holder;
      },
    });
    await app.register(fastifyView, {
      engine: { handlebars },
      root: opts.root,
      layout: "layouts/main.hbs",
      viewExt: "hbs",
      // Templates are read and compiled once, in every mode but `npm run dev` (config.templateReload).
      production: !app.config.templateReload,
      // preventIndent: an indented partial call must not indent the partial's lines, or text kept in a
      // <textarea> would come back with extra spaces.
      options: {
        partials,
        preventIndent: true,
        // Every helper is declared, and nothing else may be called as one: each {{name}} then compiles to a
        // plain property read instead of a helper-or-property check at every render (a third of a thread
        // page's rendering time), and a misspelt helper fails when the template compiles.
        compileOptions,
      },
    });

    app.decorateReply(
      "render",
      function render(this: FastifyReply, view: string, model: Record<string, unknown>, options: RenderOptions = {}) {
        const request = this.request;
        const viewer = request.viewer;
        const csrfToken = this.csrfToken;
        const page = {
          ...model,
          site: {
            /** The page's own title; the layout adds the site's name. */
            title: options.title ?? null,
            csrfToken,
            cspNonce: this.scriptNonce,
            viewer: viewer
              ? {
                  pseudonym: viewer.pseudonym,
                  name: signedName(viewer),
                  roleLabel: roleLabel(viewer),
                  unread: viewer.unreadNotifications ?? 0,
                  inbox: viewer.inboxCount ?? 0,
                  alerts: (viewer.unreadNotifications ?? 0) + (viewer.inboxCount ?? 0),
                  isAdmin: viewer.role === "ADMIN",
                  isStaff: isStaff(viewer),
                  isVerifiedPhysician: isVerifiedPhysician(viewer),
                }
              : null,
            path: request.url,
            /** The search page has its own full-width box; the header's would be a second one. */
            onSearchPage: request.url === "/search" || request.url.startsWith("/search?"),
          },
        };
        if (options.status) this.code(options.status);
        this.type("text/html; charset=utf-8");
        // Pages personal to a signed-in person, or carrying their CSRF token, are never stored by any cache.
        if (viewer) this.header("cache-control", "no-store");
        void this.view(view, page);
        return this;
      },
    );
  },
  { name: "views", dependencies: ["csrf", "session", "assets"] },
);
