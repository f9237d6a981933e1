/**
 * Writing a project's artifact files on `project.save()`: every artifact logged since the
 * last save, on its experiments and their tests, and only those.
 *
 * @module
 */

import { writeArtifactFiles } from "../artifacts/io.js";
import type { Experiment } from "../model/experiment.js";
import type { StorageOptions } from "../storage/index.js";

/**
 * Writes the pending artifact files of `experiments` (several at a time, each atomically),
 * with the project's storage options.
 *
 * @throws SaveError naming the artifact and the path that could not be written.
 */
export async function saveProjectArtifacts(
  experiments: readonly Experiment[],
  storageOptions: StorageOptions,
): Promise<void> {
  const writes = [];
  for (const experiment of experiments) {
    if (!experiment.readOnly) writes.push(...experiment.pendingArtifactWrites());
  }
  if (writes.length > 0) await writeArtifactFiles(writes, storageOptions);
}
