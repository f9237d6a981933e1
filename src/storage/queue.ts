/**
 * One-at-a-time runs per key, in this process: the updates of one file queue here, so that a
 * backend never races itself (and a local update does not spin on its own lock).
 *
 * @module
 */

/** Runs tasks one after the other for each key; tasks of different keys run side by side. */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every task queued before it for `key` has settled. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    this.#tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.#tails.get(key) === current) this.#tails.delete(key);
    }
  }
}
