// Signing in and submitting forms the way a browser does: fetch the page, take its CSRF token, post.
import type request from "supertest";
import { PASSWORD, type UserFixture } from "./factories.ts";

type Agent = ReturnType<typeof request.agent>;

export function csrfFrom(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match?.[1]) throw new Error("page has no CSRF token");
  return match[1];
}

/** GETs `page` to obtain a CSRF token, then POSTs the form to `action` with it. */
export async function submit(agent: Agent, page: string, action: string, fields: Record<string, string>) {
  const form = await agent.get(page);
  const token = csrfFrom(form.text);
  return agent
    .post(action)
    .type("form")
    .send({ _csrf: token, ...fields });
}

export async function logIn(agent: Agent, user: Pick<UserFixture, "email">, password = PASSWORD) {
  // Already signed in, /login redirects; any signed-in page carries a token (the sign-out form).
  const page = await agent.get("/login");
  const token = csrfFrom(page.status === 200 ? page.text : (await agent.get("/account")).text);
  const res = await agent.post("/login").type("form").send({ _csrf: token, email: user.email, password });
  if (res.status !== 303) throw new Error(`login failed with ${res.status}`);
  return res;
}

/** Visible text of a page, tags removed and whitespace folded, for asserting what a person would read. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&#x3D;/g, "=")
    .replace(/&#x60;/g, "`")
    .replace(/\s+/g, " ")
    .trim();
}
