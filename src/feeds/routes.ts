// Feeds and discovery: Atom feeds, sitemap.xml and robots.txt. Public, and the same for everyone.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createFeedService } from "./service.ts";

const ATOM = "application/atom+xml; charset=utf-8";
const slug = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/) });
const handle = z.object({ handle: z.string().regex(/^[a-z0-9-]{1,80}$/) });

export default async function feedRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const feeds = createFeedService(app.reader, app.config.publicUrl);
  const publicCache = "public, max-age=300";

  app.get("/feeds/answered.atom", async (_request, reply) =>
    reply
      .cacheTags(["feeds"])
      .type(ATOM)
      .header("cache-control", publicCache)
      .send(await feeds.answered()),
  );
  app.get("/c/:slug/feed.atom", { schema: { params: slug } }, async (request, reply) =>
    reply
      .cacheTags(["feeds"])
      .type(ATOM)
      .header("cache-control", publicCache)
      .send(await feeds.category(request.params.slug)),
  );
  app.get("/physicians/:handle/feed.atom", { schema: { params: handle } }, async (request, reply) =>
    reply
      .cacheTags(["feeds", "physicians"])
      .type(ATOM)
      .header("cache-control", publicCache)
      .send(await feeds.physician(request.params.handle)),
  );
  app.get("/sitemap.xml", async (_request, reply) =>
    reply
      .cacheTags(["sitemap"])
      .type("application/xml; charset=utf-8")
      .header("cache-control", publicCache)
      .send(await feeds.sitemap()),
  );
  app.get("/robots.txt", async (_request, reply) =>
    reply
      .type("text/plain; charset=utf-8")
      .send(
        `User-agent: *\nDisallow: /moderation\nDisallow: /account\nDisallow: /notifications\nDisallow: /admin\nDisallow: /unsubscribe\nSitemap: ${app.config.publicUrl}/sitemap.xml\n`,
      ),
  );
}
