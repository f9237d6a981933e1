/**
 * The merge-on-save protocol of `project.save()`: the artifact files logged since the last
 * save are written first, then the project file through the backend's `update`, merging into
 * what another process saved meanwhile instead of overwriting it.
 *
 * Only the experiments that changed are serialised: every other one is written as the text
 * the project read or wrote for it (see `slots.ts`), which is byte for byte what serialising
 * it gives. On a local file that no one else rewrote, a save whose first records stay as
 * they were (an experiment appended, or changed near the end) does not rewrite the file's
 * start either: the storage copies the old file into its temporary file, cuts it after the
 * records that stay, writes the rest, flushes and renames it over the file (`FileSplice`).
 * So the file is replaced atomically as always: a crash at any point leaves the old file or
 * the new one, never a torn one.
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
  ignoreElements,
  map,
  type Observable,
  of,
  tap,
  throwError,
  toArray,
} from "rxjs";
import { type ArtifactWrite, writeArtifactFiles$ } from "../artifacts/io.js";
import { SaveError } from "../errors.js";
import { readProjectFile } from "../format/projectFile.js";
import { dumpProjectRecord, dumpRecordText, joinProjectRecords } from "../format/pyjson/index.js";
import { StoredExperimentSchema } from "../format/schemas.js";
import { compactTimestamp } from "../format/timestamps.js";
import { slugify } from "../slug/slug.js";
import { type ObservableFileChange, observableStorage } from "../storage/edge.js";
import { type FileContent, resolveLocation, type StorageOptions } from "../storage/index.js";
import { type FileImage, spliceFor, wholeFileParts } from "./fileImage.js";
import type { LogsInFlight } from "./inFlight.js";
import { mergeIntoFile } from "./merge.js";
import type { ProjectMode } from "./options.js";
import type { ExperimentSlot } from "./slots.js";

/** The project file as a project last read or wrote it. */
export interface FileState {
  /** The version of the file (`null`: no file; `undefined`: unknown, merge at the next save). */
  readonly version: string | null | undefined;
  /** The slugs and `lastUpdated` times (ms) in the file. */
  readonly base: ReadonlyMap<string, number>;
  /** The file's records' texts and size, when it is in Python's layout (see `fileImage.ts`). */
  readonly image?: FileImage | undefined;
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

/** What a whole save needs to know of its project beyond its file. */
export interface ProjectSaveTarget extends SaveTarget {
  /** The project's mode ("w+" signs the experiments changed with `author`). */
  readonly mode: ProjectMode;
  /** The project's author. */
  readonly author: string;
}

/**
 * A whole save of a project, once the `log()` bodies under way (`inFlight`) have finished (at
 * once when there are none): in mode "w+", every experiment of `slots()` changed since it was
 * read (or new) gets `last_updated_by` = the author, as Python does; then the artifact files
 * and the project file are written (see {@link writeProjectFile$}, whose errors and
 * cancellation it shares), and every experiment learns it is saved. Emits the file as the
 * project now knows it.
 */
export function saveProject$(
  target: ProjectSaveTarget,
  inFlight: LogsInFlight,
  slotsNow: () => readonly ExperimentSlot[],
  state: () => FileState,
  signal: AbortSignal | undefined,
  rename: (slot: ExperimentSlot, slug: string) => void,
): Observable<FileState> {
  return defer(() => {
    signal?.throwIfAborted();
    return inFlight.size > 0 ? from(inFlight.settle()) : of(undefined);
  }).pipe(
    concatMap(() => {
      signal?.throwIfAborted();
      const slots = slotsNow();
      if (target.mode === "w+") {
        // Whatever other record shares its slug. Experiments never built cannot have changed.
        for (const { built } of slots) {
          if (built?.dirty === true && !built.readOnly) built.lastUpdatedBy = target.author;
        }
      }
      // Artifact files before the project file, and after any rename: a failed write leaves
      // the project file as it was.
      const artifacts = () =>
        saveProjectArtifacts$(slots, target.storageOptions).pipe(
          tap(() => signal?.throwIfAborted()),
        );
      return writeProjectFile$(target, slots, state, signal, rename, artifacts).pipe(
        tap(() => {
          for (const { built } of slots) built?.markSaved();
        }),
      );
    }),
  );
}

/**
 * Writes the pending artifact files of `experiments` (several at a time, each atomically),
 * with the project's storage options: before the project file, so that a failed artifact
 * write leaves the project file as it was. Emits once they are written.
 *
 * @throws SaveError naming the artifact and the path that could not be written.
 */
export function saveProjectArtifacts$(
  slots: readonly ExperimentSlot[],
  storageOptions: StorageOptions,
): Observable<void> {
  return defer(() => {
    const pending: Observable<ArtifactWrite>[] = [];
    for (const { built } of slots) {
      if (built === undefined || built.readOnly) continue;
      const writes = built.pendingArtifactWrites$();
      if (writes !== EMPTY) pending.push(writes);
    }
    if (pending.length === 0) return of(undefined);
    return concat(...pending).pipe(
      toArray(),
      concatMap((writes) =>
        writes.length > 0 ? writeArtifactFiles$(writes, storageOptions) : of(undefined),
      ),
    );
  });
}

/**
 * Writes the project file through the backend's `update` (a lock on local files,
 * conditional writes on S3), so that concurrent saves lose nothing:
 * - if the file is still the one the project last read or wrote (`state()`, asked when the
 *   file is at hand), or there is none, it becomes exactly the experiments of `slots`, as
 *   Python lazyscribe writes them (a splice of the file when its start stays, see the module
 *   comment);
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
 * `beforeReplace` is subscribed once the file is at hand and clashing slugs are renamed, and
 * the file is replaced when it completes (the project writes its artifact files there).
 *
 * The save runs on subscription and emits the file as the project now knows it. It is
 * abandoned before the file is replaced (the file is unchanged) when `signal` is aborted or
 * the subscriber unsubscribes. On `memory://`, with a `beforeReplace` that completes at once,
 * it emits in the subscriber's call. Each slot whose experiment was serialised learns its new
 * text once the file is written.
 *
 * @throws SaveError naming the file and the cause; the file is unchanged.
 */
export function writeProjectFile$(
  target: SaveTarget,
  slots: readonly ExperimentSlot[],
  state: () => FileState,
  signal: AbortSignal | undefined,
  rename: (slot: ExperimentSlot, slug: string) => void,
  beforeReplace: () => Observable<unknown>,
): Observable<FileState> {
  return defer(() => {
    const { storage, path } = resolveLocation(target.fpath, target.storageOptions);
    let written: Map<string, number> | undefined;
    let image: FileImage | undefined;
    let fresh = new Map<ExperimentSlot, string>();
    /** `content()` once `beforeReplace` has completed. */
    const afterArtifacts = (content: () => FileContent) =>
      concat(
        beforeReplace().pipe(ignoreElements()),
        defer(() => of(content())),
      );
    const change: ObservableFileChange = (current) =>
      defer(() => {
        const known = state();
        fresh = new Map();
        if (target.replace || current === undefined || current.version === known.version) {
          written = undefined;
          return afterArtifacts(() => {
            // Only the very file the image describes can be spliced (in mode "w" the file may
            // be another process's), and only when its first record stays.
            const before =
              storage.protocol === "file" &&
              current !== undefined &&
              current.version === known.version
                ? known.image
                : undefined;
            const first = slots[0];
            if (before !== undefined && first !== undefined) {
              const spliced =
                textOf(first, fresh) === before.texts[0]
                  ? spliceFor(
                      before,
                      slots.map((slot) => textOf(slot, fresh)),
                    )
                  : undefined;
              if (spliced !== undefined) {
                image = spliced.image;
                return spliced.splice;
              }
            }
            return wholeFileParts(
              slots,
              (slot) => textOf(slot, fresh),
              (whole) => {
                image = whole;
              },
            );
          });
        }
        image = undefined;
        return current.read$().pipe(
          concatMap((data) => {
            const file = readFileForMerge(target.fpath, data);
            renameClashes(slots, known.base, file, rename);
            // After the renames, so that a renamed experiment's files go to its own folder.
            return afterArtifacts(() => {
              const merged = mergeIntoFile<MergeEntry>(
                file,
                slots.flatMap((slot): MergeEntry[] =>
                  slot.built?.dirty === true || known.base.get(slot.slug) !== slot.lastUpdatedMs
                    ? [
                        {
                          slug: slot.slug,
                          lastUpdated: new Date(slot.lastUpdatedMs),
                          text: "",
                          slot,
                        },
                      ]
                    : [],
                ),
              );
              written = new Map(merged.map((m) => [m.slug, m.lastUpdated.getTime()]));
              return joinProjectRecords(
                merged.map((m) => (m.slot === undefined ? m.text : textOf(m.slot, fresh))),
              );
            });
          }),
        );
      });
    return observableStorage(storage)
      .update$(path, change, { signal })
      .pipe(
        map((version): FileState => {
          for (const [slot, text] of fresh) slot.wrote(text);
          if (written === undefined) {
            return {
              version,
              base: new Map(slots.map((s) => [s.slug, s.lastUpdatedMs])),
              image,
            };
          }
          // The file now holds more than this project: merge again at the next save.
          return { version: undefined, base: written, image: undefined };
        }),
      );
  }).pipe(
    catchError((error: unknown) =>
      throwError(() =>
        error instanceof SaveError
          ? error
          : new SaveError(`could not save project ${target.fpath}: ${(error as Error).message}`, {
              cause: error,
            }),
      ),
    ),
  );
}

/** A record of the merge: one of the file's (its text), or one of the project's (its slot). */
interface MergeEntry {
  readonly slug: string;
  readonly lastUpdated: Date;
  readonly text: string;
  readonly slot?: ExperimentSlot;
}

/**
 * The text that writes `slot`'s experiment: its kept text while it has not changed, else the
 * experiment serialised now (and noted in `fresh`).
 */
function textOf(slot: ExperimentSlot, fresh: Map<ExperimentSlot, string>): string {
  const kept = slot.keptText;
  if (kept !== undefined) return kept;
  let text = fresh.get(slot);
  if (text === undefined) {
    const { experiment } = slot;
    text = dumpRecordText(experiment.toRecord(), experiment.floatMarks);
    fresh.set(slot, text);
  }
  return text;
}

/**
 * Renames each new experiment (its slug is not in `base`, what the project read or wrote)
 * whose slug the file holds, to the first free suffix against the file and the project.
 */
function renameClashes(
  slots: readonly ExperimentSlot[],
  base: ReadonlyMap<string, number>,
  file: readonly { readonly slug: string }[],
  rename: (slot: ExperimentSlot, slug: string) => void,
): void {
  const inFile = new Set(file.map((r) => r.slug));
  const taken = new Set(inFile);
  for (const slot of slots) taken.add(slot.slug);
  for (const slot of slots) {
    if (base.has(slot.slug) || !inFile.has(slot.slug)) continue;
    let n = 2;
    while (taken.has(`${slot.slug}-${n}`)) n++;
    const slug = `${slot.slug}-${n}`;
    taken.add(slug);
    rename(slot, slug);
  }
}

/** The records of the file that another process wrote, for {@link writeProjectFile}. */
function readFileForMerge(fpath: string, data: Uint8Array) {
  try {
    return readProjectFile(new TextDecoder().decode(data), fpath).map(({ record, read }) => ({
      slug: record.slug ?? slugify(`${record.name}-${compactTimestamp(record.created_at)}`),
      lastUpdated: record.last_updated.date,
      text: read.text ?? dumpProjectRecord(StoredExperimentSchema.encode(record), read.marks),
    }));
  } catch (error) {
    throw new SaveError(
      `could not save project ${fpath}: another process rewrote the file since this project read it, and it is not a valid project file now (${(error as Error).message}); the file was left as is: repair it, or save from a project opened in mode "w" to replace it`,
      { cause: error },
    );
  }
}
