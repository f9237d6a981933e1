/**
 * Reading a project file when a project opens: the validated records, each with its text,
 * and what the project then knows of the file (its version and, in Python's layout, its
 * records' texts and size, which later saves compare with).
 *
 * @module
 */
import { defer, map, type Observable } from "rxjs";
import { NotFoundError } from "../errors.js";
import { type LoadedRecord, readProjectFile } from "../format/projectFile.js";
import { observableStorage } from "../storage/edge.js";
import { resolveLocation, type StorageOptions } from "../storage/index.js";
import type { FileImage } from "./fileImage.js";

/** A project file as it was read. */
export interface ReadProject {
  /** Its records, in the file's order (none when there is no file). */
  readonly records: LoadedRecord[];
  /** Its version (`null`: there is no file). */
  readonly version: string | null;
  /** Its records' texts and size, when it is in Python's layout. */
  readonly image: FileImage | undefined;
}

/**
 * Reads the project file at `fpath`, on subscription; emits it once (in the subscriber's call
 * on a backend that answers at once, `memory://`).
 *
 * @param required - whether a missing file is an error (mode "r").
 * @throws NotFoundError when the file is `required` and missing.
 * @throws ValidationError when the file is not JSON or a record does not match the format.
 */
export function readProject$(
  fpath: string,
  storageOptions: StorageOptions,
  required: boolean,
  signal?: AbortSignal,
): Observable<ReadProject> {
  return defer(() => {
    const { storage, path } = resolveLocation(fpath, storageOptions);
    return observableStorage(storage).readVersioned$(path);
  }).pipe(
    map((file): ReadProject => {
      signal?.throwIfAborted();
      if (file === undefined) {
        if (required) {
          throw new NotFoundError(
            `no project file at ${fpath} (mode "r" reads an existing file; open it in mode "a" or "w" to start one)`,
          );
        }
        return { records: [], version: null, image: undefined };
      }
      const records = readProjectFile(new TextDecoder().decode(file.data), fpath);
      const texts = records.map((r) => r.read.text);
      const image = texts.every((t) => t !== undefined)
        ? { texts: texts as string[], bytes: file.data.length }
        : undefined;
      return { records, version: file.version, image };
    }),
  );
}
