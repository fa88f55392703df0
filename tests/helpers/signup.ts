// Joining the way a person does: the sign-up form, then the link from the confirmation mail. The link's token is
// made from the pending sign-up's id with the app's secret, exactly as the mail worker makes it.
import type request from "supertest";
import { linkToken } from "../../src/mail/tokens.ts";
import type { TestApp } from "./app.ts";
import { submit } from "./http.ts";

type Agent = ReturnType<typeof request.agent>;

/** The confirmation link's path for the newest sign-up of `email`. */
export async function confirmationPath(t: TestApp, email: string): Promise<string> {
  const row = await t.db.pendingSignup.findFirstOrThrow({ where: { email: email.trim().toLowerCase() }, orderBy: { createdAt: "desc" } });
  return `/signup/confirm?token=${linkToken(t.app.appSecret, row.id)}`;
}

/** Signs up (consent ticked unless given), opens the mailed link and confirms: `agent` ends up signed in. */
export async function signUpAndConfirm(t: TestApp, agent: Agent, fields: Record<string, string>) {
  const signup = await submit(agent, "/signup", "/signup", { consent: "yes", ...fields });
  if (signup.status !== 200) throw new Error(`sign-up answered ${signup.status}`);
  const path = await confirmationPath(t, fields.email ?? "");
  const confirm = await submit(agent, path, "/signup/confirm", {});
  return { signup, confirm };
}
