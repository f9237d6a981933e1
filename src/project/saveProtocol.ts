/**
 * The merge-on-save protocol of `project.save()`: the artifact files logged since the last
 * save are written first, then the project file through the backend's `update`, merging into
 * what another process saved meanwhile instead of overwriting it.
 *
 * @module
 */
import { writeArtifactFiles } from "../artifacts/io.js";
import { SaveError } from "../errors.js";
import { carryRecordMarks, parseProjectFile, serializeProjectFile } from "../format/projectFile.js";
import { StoredExperimentSchema } from "../format/schemas.js";
import { compactTimestamp } from "../format/timestamps.js";
import type { Experiment } from "../model/experiment.js";
import { slugify } from "../slug/slug.js";
import { resolveLocation, type StorageOptions } from "../storage/index.js";
import { mergeIntoFile } from "./merge.js";

/** The project file as a project last read or wrote it. */
export interface FileState {
  /** The version of the file (`null`: no file; `undefined`: unknown, merge at the next save). */
  readonly version: string | null | undefined;
  /** The slugs and `lastUpdated` times (ms) in the file. */
  readonly base: ReadonlyMap<string, number>;
}

/** Where and how a project file is saved. */
export interface SaveTarget {
  /** The project file. */
  readonly fpath: string;
  /** Options for the storage backend. */
  readonly storageOptions: StorageOptions;
  /** Whether the file is replaced whatever it holds (mode "w"). */
  readonly replace: boolean;
}

/**
 * Writes the pending artifact files of `experiments` (several at a time, each atomically),
 * with the project's storage options: before the project file, so that a failed artifact
 * write leaves the project file as it was.
 *
 * @throws SaveError naming the artifact and the path that could not be written.
 */
export async function saveProjectArtifacts(
  experiments: readonly Experiment[],
  storageOptions: StorageOptions,
): Promise<void> {
  const writes = [];
  for (const experiment of experiments) {
    if (!experiment.readOnly) writes.push(...(await experiment.pendingArtifactWrites()));
  }
  if (writes.length > 0) await writeArtifactFiles(writes, storageOptions);
}

/**
 * Writes the project file through the backend's `update` (a lock on local files,
 * conditional writes on S3), so that concurrent saves lose nothing:
 * - if the file is still the one the project last read or wrote (`state()`, asked when the
 *   file is at hand), or there is none, it becomes exactly `experiments`, as Python
 *   lazyscribe writes them;
 * - if another process has saved since, the experiments the project logged or changed are
 *   merged into the file as it is now (see {@link mergeIntoFile}); the others are left as
 *   the file has them;
 * - with `replace` (mode "w"), the file is replaced whatever it holds.
 *
 * A new experiment (one the project did not read from the file) whose slug another process
 * saved meanwhile (two processes logging one name in the same second) is a different
 * experiment: it takes the first free `<slug>-2`, `<slug>-3`... against the file's slugs,
 * through `rename`, before it is written, instead of replacing the other one.
 *
 * `beforeReplace` runs once the file is at hand and clashing slugs are renamed, before the file
 * is replaced (the project writes its artifact files there).
 *
 * An aborted `signal` abandons the save before the file is replaced: the file is unchanged.
 *
 * @returns the file as the project now knows it.
 * @throws SaveError naming the file and the cause; the file is unchanged.
 */
export async function writeProjectFile(
  target: SaveTarget,
  experiments: readonly Experiment[],
  state: () => FileState,
  signal?: AbortSignal,
  rename: (experiment: Experiment, slug: string) => void = (e, slug) => e.renameSlug(slug),
  beforeReplace: () => Promise<void> = async () => undefined,
): Promise<FileState> {
  const records = experiments.map((e) => e.toRecord());
  let written: Map<string, number> | undefined;
  let version: string;
  try {
    const { storage, path } = resolveLocation(target.fpath, target.storageOptions);
    version = await storage.update(
      path,
      async (current) => {
        const known = state();
        if (target.replace || current === undefined || current.version === known.version) {
          written = undefined;
          await beforeReplace();
          return serializeProjectFile(records);
        }
        const file = readFileForMerge(target.fpath, await current.read());
        renameClashes(experiments, known.base, file, rename, records);
        // After the renames, so that a renamed experiment's files go to its own folder.
        await beforeReplace();
        const merged = mergeIntoFile(
          file,
          experiments.flatMap((e, i) =>
            e.dirty || known.base.get(e.slug) !== e.lastUpdated.getTime()
              ? [{ slug: e.slug, lastUpdated: e.lastUpdated, record: records[i] as object }]
              : [],
          ),
        );
        written = new Map(merged.map((m) => [m.slug, m.lastUpdated.getTime()]));
        return serializeProjectFile(merged.map((m) => m.record));
      },
      { signal },
    );
  } catch (error) {
    if (error instanceof SaveError) throw error;
    throw new SaveError(`could not save project ${target.fpath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (written === undefined) {
    return { version, base: new Map(experiments.map((e) => [e.slug, e.lastUpdated.getTime()])) };
  }
  // The file now holds more than this project: merge again at the next save.
  return { version: undefined, base: written };
}

/**
 * Renames each new experiment (its slug is not in `base`, what the project read or wrote)
 * whose slug the file holds, to the first free suffix against the file and the project, and
 * refreshes its record in `records`.
 */
function renameClashes(
  experiments: readonly Experiment[],
  base: ReadonlyMap<string, number>,
  file: readonly { readonly slug: string }[],
  rename: (experiment: Experiment, slug: string) => void,
  records: object[],
): void {
  const taken = new Set(file.map((r) => r.slug));
  for (const e of experiments) taken.add(e.slug);
  experiments.forEach((experiment, i) => {
    if (base.has(experiment.slug) || !file.some((r) => r.slug === experiment.slug)) return;
    let n = 2;
    while (taken.has(`${experiment.slug}-${n}`)) n++;
    const slug = `${experiment.slug}-${n}`;
    taken.add(slug);
    rename(experiment, slug);
    records[i] = experiment.toRecord();
  });
}

/** The records of the file that another process wrote, for {@link writeProjectFile}. */
function readFileForMerge(fpath: string, data: Uint8Array) {
  try {
    return parseProjectFile(new TextDecoder().decode(data), fpath).map((record) => ({
      slug: record.slug ?? slugify(`${record.name}-${compactTimestamp(record.created_at)}`),
      lastUpdated: record.last_updated.date,
      record: carryRecordMarks(record, StoredExperimentSchema.encode(record)) as object,
    }));
  } catch (error) {
    throw new SaveError(
      `could not save project ${fpath}: another process rewrote the file since this project read it, and it is not a valid project file now (${(error as Error).message}); the file was left as is: repair it, or save from a project opened in mode "w" to replace it`,
      { cause: error },
    );
  }
}
