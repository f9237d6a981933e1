/**
 * The experiments a project is logging: `project.log(name, async body)` calls whose body has
 * not finished. `save()` waits for those started before it, so a forgotten `await` loses
 * nothing; a second run of a name in the same second gets a slug of its own.
 *
 * @module
 */
import { experimentSlug } from "../slug/slug.js";

/** The logs under way, and the slugs they hold. */
export class LogsInFlight {
  readonly #settled = new Map<object, Promise<void>>();
  readonly #slugs = new Set<string>();

  /** Tracks `promise` (the log of `key`) under `slug` until it settles, whatever its outcome. */
  track(key: object, slug: string, promise: PromiseLike<unknown>): void {
    this.#slugs.add(slug);
    const settled = Promise.resolve(promise).then(
      () => undefined,
      () => undefined,
    );
    this.#settled.set(key, settled);
    void settled.then(() => {
      this.#settled.delete(key);
      this.#slugs.delete(slug);
    });
  }

  /** How many logs are under way. */
  get size(): number {
    return this.#settled.size;
  }

  /** Resolves when every log under way now has finished (succeeded or failed). */
  async settle(): Promise<void> {
    await Promise.all([...this.#settled.values()]);
  }

  /** Whether a log under way holds `slug`. */
  holds(slug: string): boolean {
    return this.#slugs.has(slug);
  }
}

/**
 * The slug of a new experiment: Python's `<short slug>-<YYYYMMDDHHMMSS>` or, when `taken`
 * says another experiment of the project holds it (a second run of the name in the same
 * second), the first free `<slug>-2`, `<slug>-3`... Python reads the `slug` a file holds, so
 * it finds such an experiment by that slug too.
 */
export function uniqueSlug(
  shortSlug: string,
  stamp: string,
  taken: (slug: string) => boolean,
): string {
  const base = experimentSlug(shortSlug, stamp);
  if (!taken(base)) return base;
  let n = 2;
  while (taken(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
