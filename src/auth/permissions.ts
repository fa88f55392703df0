// What each kind of user may do. Services call these; routes never check roles themselves.
import { isStaff, isVerifiedPhysician, type Viewer } from "./viewer.ts";

export type Action = "ask" | "reply" | "publishWithoutReview" | "moderate" | "reviewApplications" | "viewModerationQueue";

export function can(viewer: Viewer, action: Action): boolean {
  if (!viewer) return false;
  switch (action) {
    case "ask":
    case "reply":
      return true;
    case "publishWithoutReview":
      return isStaff(viewer) || isVerifiedPhysician(viewer);
    case "moderate":
    case "reviewApplications":
    case "viewModerationQueue":
      return isStaff(viewer);
  }
}

/** A post's author, a moderator, or an admin may see a post that is not public. */
export function canSeeUnpublished(viewer: Viewer, authorId: string): boolean {
  return !!viewer && (viewer.id === authorId || isStaff(viewer));
}
