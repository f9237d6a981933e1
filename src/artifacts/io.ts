/**
 * Reading and writing artifact files, always through the storage backends (so `memory://`,
 * local paths and other backends behave alike), with errors that name the artifact and the
 * path.
 *
 * @module
 */
import {
  catchError,
  concat,
  concatMap,
  defer,
  EMPTY,
  from,
  last,
  lastValueFrom,
  map,
  type Observable,
  tap,
  throwError,
} from "rxjs";
import { ArtifactLoadError, SaveError } from "../errors.js";
import { observableStorage } from "../storage/edge.js";
import {
  type FileWrite,
  type ResolvedLocation,
  resolveLocation,
  type Storage,
  type StorageOptions,
  WriteManyError,
} from "../storage/index.js";
import type { ArtifactData } from "./handler.js";

/** One artifact file to write. */
export interface ArtifactWrite {
  /** Where the file goes (a location: a path or a URL). */
  readonly location: string;
  /** What to write. */
  readonly data: ArtifactData;
  /** The artifact, for messages (`artifact "features" of experiment "x"`). */
  readonly what: string;
  /** Called once the file is written. */
  readonly written: () => void;
}

/**
 * The writes `now`, then those each of `later` emits: `EMPTY` itself when there are none, so
 * that a save sees at once that an owner has nothing to write.
 */
export function artifactWrites$(
  now: readonly ArtifactWrite[],
  later: readonly Observable<ArtifactWrite>[],
): Observable<ArtifactWrite> {
  const some = later.filter((writes) => writes !== EMPTY);
  if (now.length === 0 && some.length <= 1) return some[0] ?? EMPTY;
  return concat(from(now), ...some);
}

/**
 * Writes artifact files, each atomically, in one `writeMany` batch per storage backend
 * (several files at a time; on local files each folder is flushed once, not once per file).
 * When they return, the files written are durable and their `written` has been called. When
 * one write fails, the writes under way finish and the first failure is thrown.
 *
 * @throws SaveError naming the artifact and the path of the first write that failed.
 */
export function writeArtifactFiles(
  writes: readonly ArtifactWrite[],
  storageOptions: StorageOptions,
): Promise<void> {
  return lastValueFrom(writeArtifactFiles$(writes, storageOptions));
}

/**
 * {@link writeArtifactFiles} as an Observable: emits once every file is written (the batches
 * one after the other), synchronously on a backend that answers at once (`memory://`).
 */
export function writeArtifactFiles$(
  writes: readonly ArtifactWrite[],
  storageOptions: StorageOptions,
): Observable<void> {
  return defer(() => {
    const batches = new Map<Storage, { jobs: ArtifactWrite[]; files: FileWrite[] }>();
    for (const job of writes) {
      let resolved: ResolvedLocation;
      try {
        resolved = resolveLocation(job.location, storageOptions);
      } catch (error) {
        throw saveError(job, error);
      }
      let batch = batches.get(resolved.storage);
      if (batch === undefined) {
        batch = { jobs: [], files: [] };
        batches.set(resolved.storage, batch);
      }
      batch.jobs.push(job);
      batch.files.push({ path: resolved.path, data: job.data });
    }
    return from(batches).pipe(
      concatMap(([storage, { jobs, files }]) =>
        observableStorage(storage)
          .writeMany$(files)
          .pipe(
            tap(() => {
              for (const job of jobs) job.written();
            }),
            catchError((error: unknown) => throwError(() => batchError(jobs, error))),
          ),
      ),
      last(null, undefined),
      map(() => undefined),
    );
  });
}

/** The error of a batch of `jobs` that failed with `error`, once the files written are noted. */
function batchError(jobs: readonly ArtifactWrite[], error: unknown): SaveError {
  if (!(error instanceof WriteManyError)) {
    return new SaveError(
      `could not write ${jobs.length} artifact files: ${(error as Error).message}`,
      { cause: error },
    );
  }
  for (const index of error.written) jobs[index]?.written();
  return saveError(jobs[error.failed] as ArtifactWrite, error.cause);
}

function saveError(job: ArtifactWrite, error: unknown): SaveError {
  return new SaveError(
    `could not write ${job.what} to ${job.location}: ${(error as Error).message}`,
    { cause: error },
  );
}

/**
 * Writes one artifact file.
 *
 * @throws SaveError naming the artifact and the path.
 */
export async function writeArtifactFile(
  job: ArtifactWrite,
  storageOptions: StorageOptions,
): Promise<void> {
  try {
    const { storage, path } = resolveLocation(job.location, storageOptions);
    await storage.write(path, job.data);
  } catch (error) {
    throw saveError(job, error);
  }
  job.written();
}

/**
 * Reads an artifact file.
 *
 * @throws ArtifactLoadError naming the artifact and the path when the file is missing or
 *   cannot be read.
 */
export async function readArtifactFile(
  location: string,
  what: string,
  storageOptions: StorageOptions,
): Promise<Uint8Array> {
  let data: Uint8Array | undefined;
  try {
    const { storage, path } = resolveLocation(location, storageOptions);
    data = await storage.read(path);
  } catch (error) {
    throw new ArtifactLoadError(
      `could not read ${what} from ${location}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (data === undefined) {
    throw new ArtifactLoadError(
      `could not read ${what}: there is no file at ${location} (was the project or repository saved?)`,
    );
  }
  return data;
}

/** Removes a file if it exists, ignoring failures (a clean-up after a failed save). */
export async function removeQuietly(
  location: string,
  storageOptions: StorageOptions,
): Promise<void> {
  try {
    const { storage, path } = resolveLocation(location, storageOptions);
    await storage.remove(path);
  } catch {
    // Best effort: the save that failed is the error the caller reports.
  }
}
