// Text typed by people (a watched word, a phrase) used inside a regular expression, matched literally.
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
