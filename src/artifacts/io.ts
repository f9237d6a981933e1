/**
 * Reading and writing artifact files, always through the storage backends (so `memory://`,
 * local paths and other backends behave alike), with errors that name the artifact and the
 * path.
 *
 * @module
 */
import { ArtifactLoadError, SaveError } from "../errors.js";
import { resolveLocation, type StorageOptions } from "../storage/index.js";
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

/** How many artifact files are written at once: enough to overlap latency, few enough for any backend. */
const CONCURRENCY = 32;

/**
 * Writes artifact files, several at a time. Each file is written atomically by its backend.
 * When one write fails, the writes in flight finish and the first failure is thrown.
 *
 * @throws SaveError naming the artifact and the path of the first write that failed.
 */
export async function writeArtifactFiles(
  writes: readonly ArtifactWrite[],
  storageOptions: StorageOptions,
): Promise<void> {
  let next = 0;
  let failure: SaveError | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < writes.length) {
      const job = writes[next++] as ArtifactWrite;
      try {
        await writeArtifactFile(job, storageOptions);
      } catch (error) {
        failure ??= error as SaveError;
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(CONCURRENCY, writes.length); i++) workers.push(worker());
  await Promise.all(workers);
  if (failure !== undefined) throw failure;
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
    throw new SaveError(
      `could not write ${job.what} to ${job.location}: ${(error as Error).message}`,
      { cause: error },
    );
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
