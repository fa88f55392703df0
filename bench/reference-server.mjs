// The benchmark's reference: a bare Fastify server in a process of its own (plain node, no loader, no hooks, no
// logger), with a hello-world route and a route that sends a page held in memory: the bytes of the thread page
// the benchmark loads, read once from REFERENCE_PAGE_FILE. What the app's pages are measured against: hello is
// what a request costs Fastify at all, the page is the floor for a page served from a cache.
import { readFileSync } from "node:fs";
import Fastify from "fastify";

const page = readFileSync(process.env.REFERENCE_PAGE_FILE ?? "");
const app = Fastify();
app.get("/hello", async () => ({ hello: "world" }));
app.get("/page", (_request, reply) => {
  reply.type("text/html; charset=utf-8").send(page);
});

await app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
console.log(`reference ready on ${app.server.address().port}, page ${page.length} bytes`);
// Exits through process.exit so that --cpu-prof writes its profile.
process.on("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
