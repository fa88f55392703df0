// What each kind of user may do. Services call these; routes never check roles themselves.
import { type FieldErrors, forbidden } from "../lib/errors.ts";
import { isStaff, isVerifiedPhysician, type Viewer } from "./viewer.ts";

export type Action =
  | "ask"
  | "reply"
  | "publishWithoutReview"
  | "moderate"
  | "reviewApplications"
  | "viewModerationQueue"
  | "writeArticle"
  | "agree"
  | "markHelpful"
  | "write"
  | "manageMembers";

const active = (until: Date | null | undefined, now: Date) => !!until && until.getTime() > now.getTime();

export const isSuspended = (viewer: Viewer, now = new Date()) => active(viewer?.restriction?.suspendedUntil, now);
export const isSilenced = (viewer: Viewer, now = new Date()) => active(viewer?.restriction?.silencedUntil, now);

/** What a suspended person is told when they try to post. */
export function suspensionMessage(viewer: Viewer, doing = "post or reply"): string | null {
  if (!isSuspended(viewer)) return null;
  const until = viewer?.restriction?.suspendedUntil?.toISOString().slice(0, 10);
  const why = viewer?.restriction?.message ? ` The moderators' message: ${viewer.restriction.message}` : "";
  return `Your account is suspended until ${until}, so you can't ${doing} until then.${why} Nothing you typed was saved; your text is below.`;
}

/** The refusal of a suspended member's change, as form errors (their text is re-rendered); null when they may write. */
export function suspendedForm(viewer: Viewer, doing?: string, field = "_form"): FieldErrors | null {
  const message = suspensionMessage(viewer, doing);
  return message ? { [field]: message } : null;
}

/** Refuses a suspended member's change that has no form to re-render (a mark, a follow, a dismissal). */
export function assertMayWrite(viewer: Viewer): void {
  if (viewer && !can(viewer, "write")) {
    const until = viewer.restriction?.suspendedUntil?.toISOString().slice(0, 10);
    throw forbidden(`Your account is suspended until ${until}, so you can't change anything on Curbside until then.`);
  }
}

/**
 * What an account whose email is not yet confirmed is told when it tries to post. Sign-up makes accounts only
 * once the address is confirmed; this holds for any other way an unconfirmed account comes to be signed in.
 */
export function unconfirmedMessage(viewer: Viewer): string | null {
  if (viewer?.emailConfirmed !== false) return null;
  return "Confirm your email address before you post: open the link we mailed you. Nothing you typed was saved; your text is below.";
}

export function can(viewer: Viewer, action: Action): boolean {
  if (!viewer) return false;
  switch (action) {
    // Suspension stops every change a member makes, except what their own account needs: signing out,
    // security (password, email, sessions), saying less (withdrawing, unfollowing, mail), export and deletion.
    case "write":
    case "ask":
    case "reply":
      return !isSuspended(viewer);
    case "publishWithoutReview":
      return (isStaff(viewer) || isVerifiedPhysician(viewer)) && !isSilenced(viewer);
    // Articles and agreeing with an answer are a verified physician's voice.
    case "writeArticle":
    case "agree":
      return isVerifiedPhysician(viewer) && !isSuspended(viewer);
    // "Helpful" is the patients' signal: physicians agree instead, and staff stay neutral.
    case "markHelpful":
      return !isStaff(viewer) && !isVerifiedPhysician(viewer) && !isSuspended(viewer);
    // Roles decide who moderates and who administers: admins only, and not while suspended.
    case "manageMembers":
      return viewer.role === "ADMIN" && !isSuspended(viewer);
    // A suspended moderator or admin still sees the queue, but decides nothing until the suspension ends.
    case "moderate":
    case "reviewApplications":
      return isStaff(viewer) && !isSuspended(viewer);
    case "viewModerationQueue":
      return isStaff(viewer);
  }
}

/** A post's author, a moderator, or an admin may see a post that is not public. */
export function canSeeUnpublished(viewer: Viewer, authorId: string): boolean {
  return !!viewer && (viewer.id === authorId || isStaff(viewer));
}
