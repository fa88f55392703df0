// /account: your details, your physician application, and every post you wrote with its review state.
import type { FastifyInstance } from "fastify";
import { createThreadService } from "../threads/service.ts";
import { createAccountService } from "./service.ts";

export default async function accountRoutes(app: FastifyInstance) {
  const accounts = createAccountService(app.db);
  const threads = createThreadService(app.db);
  app.get("/account", async (request, reply) => {
    if (!request.viewer) return reply.redirect("/login?next=%2Faccount");
    const [account, posts] = await Promise.all([accounts.overview(request.viewer), threads.myPosts(request.viewer)]);
    return reply.render("accounts/show", { account, posts }, { title: "Your account" });
  });
}
