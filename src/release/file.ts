/**
 * `releases.json` text and files: Python lazyscribe's `release.dumps`, `loads`, `dump` and
 * `load`, byte for byte.
 *
 * @module
 */
import { LazyscribeError, SaveError } from "../errors.js";
import { dumpsPyJson } from "../format/pyjson/index.js";
import { parseReleasesFile } from "../format/releasesFile.js";
import { parseTimestamp } from "../format/timestamps.js";
import { resolveLocation, type StorageOptions } from "../storage/index.js";
import { Release } from "./release.js";

/** Options of {@link dumps} and {@link dump}. */
export interface DumpOptions {
  /** Indentation, as Python's `json.dump(..., indent=...)` (default: one line). */
  readonly indent?: number | string | null;
}

/**
 * Releases as `releases.json` text, byte for byte what Python's `release.dumps(releases,
 * indent=...)` gives.
 */
export function dumps(releases: readonly Release[], options: DumpOptions = {}): string {
  return dumpsPyJson(
    releases.map((r) => r.toJSON()),
    { indent: options.indent ?? null },
  );
}

/**
 * Releases from `releases.json` text (Python's `release.loads`).
 *
 * @throws ValidationError when the text is not JSON or a release does not match the format.
 */
export function loads(text: string): Release[] {
  return parseReleasesFile(text, "releases text").map(
    (r) => new Release(r.tag, r.artifacts, parseTimestamp(r.created_at)),
  );
}

/** Options of {@link dump} and {@link load}: the storage backend's options. */
export interface ReleaseFileOptions extends DumpOptions {
  /** Options for the storage backend. */
  readonly storageOptions?: StorageOptions;
}

/**
 * Writes releases to a file (atomically, through the storage backend), as Python's
 * `release.dump` does.
 *
 * @throws SaveError when the file cannot be written.
 */
export async function dump(
  releases: readonly Release[],
  fpath: string,
  options: ReleaseFileOptions = {},
): Promise<void> {
  const text = dumps(releases, options);
  try {
    const { storage, path } = resolveLocation(fpath, options.storageOptions ?? {});
    await storage.write(path, text);
  } catch (error) {
    throw new SaveError(`could not write releases to ${fpath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Reads releases from a file, as Python's `release.load` does.
 *
 * @throws LazyscribeError when the file does not exist.
 * @throws ValidationError when it is not JSON or a release does not match the format.
 */
export async function load(
  fpath: string,
  options: { readonly storageOptions?: StorageOptions } = {},
): Promise<Release[]> {
  const { storage, path } = resolveLocation(fpath, options.storageOptions ?? {});
  const data = await storage.read(path);
  if (data === undefined) throw new LazyscribeError(`there is no releases file at ${fpath}`);
  const text = new TextDecoder().decode(data);
  return parseReleasesFile(text, fpath).map(
    (r) => new Release(r.tag, r.artifacts, parseTimestamp(r.created_at)),
  );
}
