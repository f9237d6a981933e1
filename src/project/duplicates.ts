/**
 * The warning a project file with several records of one slug raises on open (Python
 * lazyscribe logging one name twice in one second).
 *
 * @module
 */

/** The code of the warning a project file with several records of one slug raises on open. */
export const DUPLICATE_SLUG_WARNING = "LAZYSCRIBE_DUPLICATE_SLUG";

/** How many records hold each slug that several records hold. */
export function duplicateSlugs(slugs: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const slug of slugs) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  for (const [slug, count] of counts) if (count < 2) counts.delete(slug);
  return counts;
}

/**
 * Warns (`process.emitWarning`, code {@link DUPLICATE_SLUG_WARNING}) once per slug that the
 * file holds several records of: all are kept and saved back, and `get()` gives the last in
 * Python's order.
 */
export function warnDuplicateSlugs(fpath: string, slugs: Iterable<string>): void {
  for (const [slug, count] of duplicateSlugs(slugs)) {
    process.emitWarning(
      `project ${fpath} holds ${count} experiments with slug "${slug}": all are kept and saved back; get("${slug}") gives the last in Python's order, the others are reached through project.experiments`,
      { code: DUPLICATE_SLUG_WARNING },
    );
  }
}
