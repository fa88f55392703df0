// What a post's author is shown before it is sent: signs of an emergency (guidance, never a block) and
// details that could identify them (with an offer to remove them). `review` is the guard's one entry point
// for a submit pipeline: text and context in, findings out.
import { z } from "zod";
import { EMERGENCY_GUIDANCE, type EmergencyKind, type EmergencySign, findEmergencySigns } from "./emergency.ts";
import {
  findIdentifyingDetails,
  findPossibleDetails,
  IDENTIFYING_LABELS,
  type IdentifyingContext,
  type IdentifyingDetail,
  removeIdentifyingDetails,
} from "./identifying.ts";

export type { IdentifyingContext };

/** The author's answer to the review: post the text as written, or with the identifying details removed. */
export const reviewedField = z.enum(["as-written", "remove"]).optional();

export interface Findings {
  emergency: EmergencySign[];
  identifying: IdentifyingDetail[];
}

/** Everything the guard finds in a text. */
export function review(text: string, context: IdentifyingContext = {}): Findings {
  return { emergency: findEmergencySigns(text), identifying: findIdentifyingDetails(text, context) };
}

export interface SafetyReview {
  emergency: { kind: EmergencyKind; label: string }[];
  selfHarm: boolean;
  identifying: { label: string; text: string }[];
}

export function reviewText(texts: string[], context: IdentifyingContext = {}): SafetyReview | null {
  const found = review(texts.join("\n"), context);
  const kinds = [...new Set(found.emergency.map((s) => s.kind))];
  const identifying = found.identifying.map((d) => ({ label: IDENTIFYING_LABELS[d.kind], text: d.text }));
  if (kinds.length === 0 && identifying.length === 0) return null;
  return {
    emergency: kinds.map((kind) => ({ kind, label: EMERGENCY_GUIDANCE[kind] })),
    selfHarm: kinds.includes("selfHarm"),
    identifying,
  };
}

/**
 * The review step before a post is sent: either what to show its author first, or the texts to post, with
 * the identifying details removed when the author asked for that. Only the server's own review page sets
 * `reviewed`; the browser's live warning is a preview and never answers for the author.
 */
export function reviewBeforePosting<T extends Record<string, string>>(
  reviewed: "as-written" | "remove" | undefined,
  texts: T,
  context: IdentifyingContext = {},
): { show: SafetyReview; post?: never } | { show?: never; post: T } {
  if (!reviewed) {
    const show = reviewText(Object.values(texts), context);
    if (show) return { show };
  }
  if (reviewed !== "remove") return { post: texts };
  return { post: Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, removeIdentifyingDetails(v, context)])) as T };
}

export const isUrgent = (...texts: string[]): boolean => findEmergencySigns(texts.join("\n")).length > 0;

/** The guidance for the emergency signs in a post, for its author's confirmation and pending view. */
export function emergencyGuidance(...texts: string[]): { kind: EmergencyKind; label: string }[] {
  const kinds = [...new Set(findEmergencySigns(texts.join("\n")).map((s) => s.kind))];
  return kinds.map((kind) => ({ kind, label: EMERGENCY_GUIDANCE[kind] }));
}

export { removeIdentifyingDetails };

export interface Segment {
  text: string;
  kind: "emergency" | "identifying" | "possible" | null;
}

/**
 * Text cut into plain and flagged parts, for moderators' highlights: what the guard found, and in a second
 * colour what might identify someone though no rule is sure (long digit runs, name-like words after "I'm").
 * Verified physicians named in the text (`context.physicians`) are neither.
 */
export function highlightSegments(text: string, context: IdentifyingContext = {}): Segment[] {
  const marks: { start: number; end: number; kind: NonNullable<Segment["kind"]> }[] = [
    ...findEmergencySigns(text).map((s) => ({ start: s.start, end: s.end, kind: "emergency" as const })),
    ...findIdentifyingDetails(text, context).map((d) => ({ start: d.start, end: d.end, kind: "identifying" as const })),
  ];
  for (const p of findPossibleDetails(text, context))
    if (!marks.some((m) => p.start < m.end && p.end > m.start)) marks.push({ ...p, kind: "possible" as const });
  marks.sort((a, b) => a.start - b.start);
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
