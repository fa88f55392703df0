// Why reports hid a post until a moderator decides: stored as the post's moderation reason, so that the
// author's note, the moderator's "restore" and "keep hidden" and the queue all read the same words.

/** Hidden because open reports reached the admins' threshold (settings: "hide until reviewed"). */
export const HIDDEN_BY_REPORTS = "Hidden after several reports, until a moderator reviews them";

/** Hidden at once by a verified physician's "medical misinformation" report. */
export const HIDDEN_BY_PHYSICIAN_REPORT = "Hidden while a moderator reviews a physician's report of medical misinformation";

/** Reasons a moderator's decision ends: restoring the post, or keeping it hidden with their own reason. */
export const REPORT_HOLDS = [HIDDEN_BY_REPORTS, HIDDEN_BY_PHYSICIAN_REPORT] as const;

export const isHeldByPhysicianReport = (row: { status: string; moderationReason: string | null }) =>
  row.status === "HIDDEN" && row.moderationReason === HIDDEN_BY_PHYSICIAN_REPORT;
