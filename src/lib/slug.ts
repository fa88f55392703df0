// URL-friendly names: "Dr. Amara Nwosu" → "amara-nwosu", "IVF after 40?" → "ivf-after-40".
export function slugify(text: string, maxLength = 60): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/^dr\.?\s+/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/, "");
  return slug || "post";
}

/** Case- and width-insensitive key, so "Rose", "rose" and "ＲＯＳＥ" are the same pseudonym. */
export function pseudonymKey(pseudonym: string): string {
  return pseudonym.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");
}
