/**
 * The common part of `Storage.writeMany`: files written several at a time, a stop at the
 * first failure, and the report of which files were written.
 *
 * @module
 */
import { WriteManyError } from "./errors.js";
import type { FileWrite } from "./storage.js";

/**
 * Runs `writeOne` on every file, at most `concurrency` at a time. After the first failure no
 * new write starts; the writes under way finish. Then `finish` runs with the indices of the
 * files written (to make them durable: the local backend flushes their folders there), and
 * the first failure, if any, is thrown.
 *
 * @throws WriteManyError naming the index of the file that failed first and the indices of
 *   the files written.
 */
export async function writeBatch(
  files: readonly FileWrite[],
  concurrency: number,
  writeOne: (file: FileWrite) => Promise<void>,
  finish: (written: readonly number[]) => Promise<void> = async () => undefined,
): Promise<void> {
  const written: number[] = [];
  let failure: { index: number; error: unknown } | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < files.length) {
      const index = next++;
      try {
        await writeOne(files[index] as FileWrite);
        written.push(index);
      } catch (error) {
        failure ??= { index, error };
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(concurrency, files.length); i++) workers.push(worker());
  await Promise.all(workers);
  written.sort((a, b) => a - b);
  await finish(written);
  if (failure !== undefined) throw new WriteManyError(failure.index, written, failure.error);
}

/** Runs `work` on every item, at most `limit` at a time; `work` must not throw. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, items.length); i++) workers.push(worker());
  await Promise.all(workers);
}
