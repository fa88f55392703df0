// The reply form's words for the person who sees it: a patient is reminded to stay pseudonymous, a physician
// that they sign with their name, staff that their post is public at once. Signed out, the page is cached and
// shared, so it carries the patient's words (the form itself appears only once someone signs in).
import { can } from "../auth/permissions.ts";
import { isStaff, isVerifiedPhysician, type Viewer } from "../auth/viewer.ts";

export interface ReplyFormWords {
  heading: string;
  /** Who the post is shown as, and what not to write. */
  hint: string;
  /** What happens when it is sent. */
  afterSending: string;
}

export function replyFormWords(viewer: Viewer, thread: { isArticle: boolean; isOwn: boolean }): ReplyFormWords {
  const published = can(viewer, "publishWithoutReview");
  if (viewer && isVerifiedPhysician(viewer) && viewer.physician) {
    const name = `Dr. ${viewer.physician.fullName}`;
    return {
      heading: thread.isArticle ? (thread.isOwn ? "Answer your readers" : "Comment on this article") : "Answer this question",
      hint: `You post as ${name}, with your verified badge. Don't repeat details that could identify a patient.`,
      afterSending: published
        ? "Your replies normally publish at once, signed with your name; moderators can still hide them."
        : "While your account is silenced, your replies wait for a moderator.",
    };
  }
  if (viewer && isStaff(viewer)) {
    return {
      heading: thread.isArticle ? "Comment on this article" : "Leave a reply",
      hint: `You post as ${viewer.pseudonym}. Don't quote details that could identify the person who asked.`,
      afterSending: published ? "Your reply is published at once." : "While your account is silenced, your replies wait for review.",
    };
  }
  return {
    heading: thread.isArticle ? "Ask the doctor a question" : thread.isOwn ? "Add a follow-up" : "Leave a reply",
    hint: "Use your pseudonym only: no names, dates of birth, clinics or contact details.",
    afterSending: "Your email address is never shown. Patients' replies are published after a moderator reviews them.",
  };
}
