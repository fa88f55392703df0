// Signing in and submitting forms the way a browser does: fetch the page, take its CSRF token, post.
import type request from "supertest";
import { PASSWORD, type UserFixture } from "./factories.ts";

type Agent = ReturnType<typeof request.agent>;

export function csrfFrom(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match?.[1]) throw new Error("page has no CSRF token");
  return match[1];
}

/** HTML's escapes back to text, `&amp;` last so that an escaped escape ("&amp;lt;") stays as written ("&lt;"). */
const decodeEntities = (value: string) =>
  value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&#x3D;/g, "=")
    .replace(/&#x60;/g, "`")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The hidden fields of the first form on the page that posts to `action`, as a browser would send them. */
export function hiddenFieldsOf(html: string, action: string): Record<string, string> | null {
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if (decodeEntities(form[1]?.match(/\baction="([^"]*)"/)?.[1] ?? "") !== action) continue;
    const fields: Record<string, string> = {};
    for (const input of (form[2] ?? "").matchAll(/<input\b[^>]*>/g)) {
      const tag = input[0];
      if (!/\btype="hidden"/.test(tag)) continue;
      const name = tag.match(/\bname="([^"]*)"/)?.[1];
      if (name) fields[decodeEntities(name)] = decodeEntities(tag.match(/\bvalue="([^"]*)"/)?.[1] ?? "");
    }
    return fields;
  }
  return null;
}

/**
 * GETs `page`, then POSTs to `action` with `fields`. When the page has a form for `action`, its own hidden
 * fields (its CSRF token included) are sent, as a browser would: a form rendered without a token fails here.
 * Otherwise the page's first CSRF token is used (a test posting where no button is shown).
 */
export async function submit(agent: Agent, page: string, action: string, fields: Record<string, string>) {
  const html = (await agent.get(page)).text;
  const hidden = hiddenFieldsOf(html, action) ?? { _csrf: csrfFrom(html) };
  return agent
    .post(action)
    .type("form")
    .send({ ...hidden, ...fields });
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
  const text = html.replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<[^>]+>/g, " ");
  return decodeEntities(text).replace(/\s+/g, " ").trim();
}

/** A page with the typed address and the per-response script nonce blanked out, for "byte-identical apart from the form values". */
export const sameBytes = (html: string, address: string) => html.replaceAll(address, "ADDRESS").replace(/nonce="[0-9a-f]+"/g, 'nonce=""');
