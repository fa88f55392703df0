// The same form sent twice: answered with the post the first request made.
import { isUniqueViolation } from "../lib/db-errors.ts";

/**
 * The same form sent twice at once: both requests pass the check for an earlier submission, and the second
 * insert breaks the unique submission key. That request answers with the post the first one made.
 */
export function orSubmittedTwin<T, U>(making: Promise<T>, findSubmitted: () => Promise<U | null> | null): Promise<T | U> {
  return making.catch(async (error: unknown) => {
    const same = isUniqueViolation(error) ? await findSubmitted() : null;
    if (!same) throw error;
    return same;
  });
}
