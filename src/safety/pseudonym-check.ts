// The pseudonym rules with the forum's context: refused when it claims a title or a verified physician's name,
// held once with a warning when it looks like a real full name. Sign-up and the pseudonym change both call it.
import type { Database } from "../db/client.ts";
import { looksLikeRealName, PSEUDONYM_LOOKS_REAL, PSEUDONYM_PHYSICIAN, refusePseudonym } from "./pseudonym.ts";
import { createSafetyService } from "./service.ts";

export { PSEUDONYM_LOOKS_REAL, PSEUDONYM_PHYSICIAN };

/** A field error for the pseudonym, or null when it may be used. */
export async function checkPseudonym(db: Database, pseudonym: string, keep: boolean): Promise<string | null> {
  const { physicians = [] } = await createSafetyService(db).context();
  const refused = refusePseudonym(pseudonym, physicians);
  if (refused) return refused;
  if (!keep && looksLikeRealName(pseudonym)) return PSEUDONYM_LOOKS_REAL;
  return null;
}
