// The admin settings form filled with the defaults, for tests that save settings and must leave the
// rejection reasons other tests rely on.
import { DEFAULT_REJECTION_REASONS } from "../../src/settings/schemas.ts";

export const DEFAULT_SETTINGS_FORM = {
  holdMode: "all",
  trustAfterApproved: "",
  holdLinksAt: "2",
  watchedHold: "",
  watchedBlock: "",
  newAccountQuestions: "3",
  newAccountReplies: "10",
  questionsPerHour: "10",
  repliesPerHour: "30",
  rejectionReasons: DEFAULT_REJECTION_REASONS.join("\n"),
  flagThreshold: "3",
  flagAction: "ESCALATE",
};
