// What a post's author is shown before it is sent: signs of an emergency (guidance, never a block) and
// details that could identify them (with an offer to remove them).
import { z } from "zod";
import { EMERGENCY_GUIDANCE, EMERGENCY_RULES, type EmergencyKind, findEmergencySigns, NEGATION, RESOLVED } from "./emergency.ts";
import { findIdentifyingDetails, IDENTIFYING_LABELS, IDENTIFYING_RULES, removeIdentifyingDetails } from "./identifying.ts";

/** The author's answer to the review: post the text as written, or with the identifying details removed. */
export const reviewedField = z.enum(["as-written", "remove"]).optional();

export interface SafetyReview {
  emergency: { kind: EmergencyKind; label: string }[];
  selfHarm: boolean;
  identifying: { label: string; text: string }[];
}

export function reviewText(...texts: string[]): SafetyReview | null {
  const text = texts.join("\n");
  const kinds = [...new Set(findEmergencySigns(text).map((s) => s.kind))];
  const identifying = findIdentifyingDetails(text).map((d) => ({ label: IDENTIFYING_LABELS[d.kind], text: d.text }));
  if (kinds.length === 0 && identifying.length === 0) return null;
  return {
    emergency: kinds.map((kind) => ({ kind, label: EMERGENCY_GUIDANCE[kind] })),
    selfHarm: kinds.includes("selfHarm"),
    identifying,
  };
}

/**
 * The review step before a post is sent: either what to show its author first, or the texts to post, with
 * the identifying details removed when the author asked for that.
 */
export function reviewBeforePosting<T extends Record<string, string>>(
  reviewed: "as-written" | "remove" | undefined,
  texts: T,
): { show: SafetyReview; post?: never } | { show?: never; post: T } {
  if (!reviewed) {
    const show = reviewText(...Object.values(texts));
    if (show) return { show };
  }
  if (reviewed !== "remove") return { post: texts };
  return { post: Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, removeIdentifyingDetails(v)])) as T };
}

export const isUrgent = (...texts: string[]): boolean => findEmergencySigns(texts.join("\n")).length > 0;

export { removeIdentifyingDetails };

/** The same rules for the browser, which warns while the person types. */
export function rulesForBrowser() {
  return {
    emergency: { rules: EMERGENCY_RULES, negation: NEGATION, resolved: RESOLVED, labels: EMERGENCY_GUIDANCE },
    identifying: { rules: IDENTIFYING_RULES, labels: IDENTIFYING_LABELS },
  };
}

export interface Segment {
  text: string;
  kind: "emergency" | "identifying" | null;
}

/** Text cut into plain and flagged parts, for moderators' highlights. */
export function highlightSegments(text: string): Segment[] {
  const marks = [
    ...findEmergencySigns(text).map((s) => ({ start: s.start, end: s.end, kind: "emergency" as const })),
    ...findIdentifyingDetails(text).map((d) => ({ start: d.start, end: d.end, kind: "identifying" as const })),
  ].sort((a, b) => a.start - b.start);
  const segments: Segment[] = [];
  let at = 0;
  for (const mark of marks) {
    if (mark.start < at) continue;
    if (mark.start > at) segments.push({ text: text.slice(at, mark.start), kind: null });
    segments.push({ text: text.slice(mark.start, mark.end), kind: mark.kind });
    at = mark.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), kind: null });
  return segments;
}
