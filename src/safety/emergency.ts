// Signs of an emergency in what someone writes: the one reviewed list. A match shows guidance before the
// post is sent (never blocks it) and puts the post first in the moderation queue, tagged "urgent".
// Rules are plain data so that the browser applies exactly the same list while the person types.

export type EmergencyKind = "bleeding" | "pain" | "fainting" | "fever" | "selfHarm";

export interface EmergencyRule {
  kind: EmergencyKind;
  /** A case-insensitive regular expression source. */
  pattern: string;
}

export const EMERGENCY_RULES: EmergencyRule[] = [
  {
    kind: "bleeding",
    pattern: String.raw`\b(heavy|heavily|lots of|a lot of|soak(ing|ed|s)? through|soaking|gushing|pouring|huge|large)\b[^.!?\n]{0,30}\b(bleed\w*|blood|clots?)\b`,
  },
  {
    kind: "bleeding",
    pattern: String.raw`\b(bleed\w*|blood)\b[^.!?\n]{0,30}\b(heavily|a lot|won'?t stop|isn'?t stopping|not stopping|keeps? coming|through (a|my|the) pads?)\b`,
  },
  { kind: "bleeding", pattern: String.raw`\b(ha?emorrhaging|a pad (every|an|each) hour|pad an hour)\b` },
  {
    kind: "pain",
    pattern: String.raw`\b(severe|sharp|stabbing|unbearable|excruciating|intense|extreme|agonising|agonizing|terrible|worst)\b[^.!?\n]{0,30}\b(pain|cramp\w*|ache)\b`,
  },
  {
    kind: "pain",
    pattern: String.raw`\b(pain|cramp\w*)\b[^.!?\n]{0,20}\b(is|are|so|getting)\b[^.!?\n]{0,10}\b(severe|unbearable|excruciating|worse and worse)\b`,
  },
  { kind: "pain", pattern: String.raw`\bshoulder[- ]tip pain\b` },
  {
    kind: "fainting",
    pattern: String.raw`\b(faint(ed|ing)?|passed out|passing out|pass out|blacked out|blacking out|lost consciousness|collapsed?)\b`,
  },
  { kind: "fever", pattern: String.raw`\b(high|very high|raging) (fever|temperature)\b` },
  {
    kind: "fever",
    pattern: String.raw`\b(fever|temperature|temp)\b[^.!?\n]{0,15}\b(3[89](\.\d)?|4[0-2](\.\d)?|10[1-6](\.\d)?) ?°? ?(c|f)?\b`,
  },
  {
    kind: "selfHarm",
    pattern: String.raw`\b(suicid\w*|kill(ing)? myself|end(ing)? (my|it all)( life)?|take my (own )?life|want(ed)? to die|wish(ed)? i (was|were) dead|better off dead|no reason to (live|go on)|don'?t want to (live|be alive|be here anymore|go on))\b`,
  },
  { kind: "selfHarm", pattern: String.raw`\b(self[- ]?harm\w*|hurt(ing)? myself|cut(ting)? myself|harm(ing)? myself|overdos\w*)\b` },
];

/** Words that, shortly before a sign in the same sentence, deny it: "no bleeding", "not suicidal". */
export const NEGATION = String.raw`\b(no|not|never|without|denies|isn'?t|wasn'?t|aren'?t|weren'?t|haven'?t|hasn'?t|hadn'?t|didn'?t|don'?t|doesn'?t|no longer|free of|zero)\b(\W+\w+){0,3}\W*$`;
/** Words that, anywhere in the same sentence, say the sign is over: "my bleeding stopped last week". */
export const RESOLVED = String.raw`\b(stopped|has stopped|had stopped|ended|went away|gone away|is gone|has gone|resolved|settled|cleared up|was over|is over|over now|back to normal|subsided)\b`;

export const EMERGENCY_GUIDANCE: Record<EmergencyKind, string> = {
  bleeding: "Heavy bleeding",
  pain: "Severe pain in the abdomen, pelvis or shoulder tip",
  fainting: "Fainting or collapsing",
  fever: "A high fever",
  selfHarm: "Thoughts of suicide or of harming yourself",
};

export interface EmergencySign {
  kind: EmergencyKind;
  text: string;
  start: number;
  end: number;
}

/** Splits at sentence ends and line breaks, so that "no pain. Heavy bleeding now" is judged per sentence. */
function sentences(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const re = /[^.!?\n;]+[.!?\n;]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ text: m[0], offset: m.index });
  return out;
}

export function findEmergencySigns(text: string): EmergencySign[] {
  const signs: EmergencySign[] = [];
  const negation = new RegExp(NEGATION, "i");
  const resolved = new RegExp(RESOLVED, "i");
  for (const sentence of sentences(text)) {
    if (resolved.test(sentence.text)) continue;
    for (const rule of EMERGENCY_RULES) {
      const re = new RegExp(rule.pattern, "gi");
      for (let m = re.exec(sentence.text); m; m = re.exec(sentence.text)) {
        if (negation.test(sentence.text.slice(0, m.index))) continue;
        const start = sentence.offset + m.index;
        if (signs.some((s) => start < s.end && start + m[0].length > s.start)) continue;
        signs.push({ kind: rule.kind, text: m[0], start, end: start + m[0].length });
      }
    }
  }
  return signs.sort((a, b) => a.start - b.start);
}
