/**
 * The storage calls a project's open and save make, as RxJS Observables: the edge where the
 * core's read and save protocols (`readFile.ts`, `saveProtocol.ts`) meet a backend.
 *
 * A backend that answers at once (`memory://`) implements them itself, emitting synchronously,
 * so that opening or saving a `memory://` project completes in the subscriber's call (inside
 * RxJS's `TestScheduler.run()`, in virtual time). The others (local files, S3) are reached
 * through their promises: {@link observableStorage} wraps each call in an Observable, and an
 * update unsubscribed from before the file is replaced aborts the backend's update, which
 * then leaves the file as it was (see {@link Storage.update}).
 *
 * @module
 */
import { defer, lastValueFrom, Observable } from "rxjs";
import type { FileContent, FileWrite, Storage, UpdateOptions, Versioned } from "./storage.js";

/** The file as {@link ObservableStorage.update$} finds it: its version, its content on demand. */
export interface ObservableCurrentFile {
  /** The version token of the file as it is now (see {@link Versioned.version}). */
  readonly version: string;
  /** Emits the file's content once (read only when the change needs it: it may be large). */
  read$(): Observable<Uint8Array>;
}

/**
 * What {@link ObservableStorage.update$} writes, given the file as it is (`undefined`: no file
 * yet): a cold Observable that emits the new content once. It may be subscribed more than
 * once (on S3, after a conflicting write), so it must not have other effects than computing
 * the new content.
 */
export type ObservableFileChange = (
  current: ObservableCurrentFile | undefined,
) => Observable<FileContent>;

/** The calls of {@link Storage} that opening and saving a project make, as Observables. */
export interface ObservableStorage {
  /** {@link Storage.readVersioned}: emits the file's bytes and version, or `undefined`. */
  readVersioned$(path: string): Observable<Versioned | undefined>;
  /**
   * {@link Storage.update}: emits the version written. Unsubscribing before the file is
   * replaced abandons the update (the file stays as it was), as aborting `options.signal` does.
   */
  update$(path: string, change: ObservableFileChange, options?: UpdateOptions): Observable<string>;
  /** {@link Storage.writeMany}: emits once every file is written. */
  writeMany$(files: readonly FileWrite[]): Observable<void>;
}

/** The Observable calls of backends that have none of their own, by backend. */
const wrapped = new WeakMap<Storage, ObservableStorage>();

/**
 * The Observable calls of `storage`: its own when it has them (`memory://`), else its
 * promise calls wrapped (local files, S3).
 */
export function observableStorage(storage: Storage): ObservableStorage {
  if (isObservableStorage(storage)) return storage;
  let calls = wrapped.get(storage);
  if (calls === undefined) {
    calls = promisedCalls(storage);
    wrapped.set(storage, calls);
  }
  return calls;
}

function isObservableStorage(
  storage: Storage | (Storage & ObservableStorage),
): storage is Storage & ObservableStorage {
  return "update$" in storage;
}

/** A backend's promise calls as Observables (each call made on subscription). */
function promisedCalls(storage: Storage): ObservableStorage {
  return {
    readVersioned$: (path) => defer(() => storage.readVersioned(path)),
    writeMany$: (files) => defer(() => storage.writeMany(files)),
    update$: (path, change, options = {}) =>
      new Observable<string>((subscriber) => {
        // Aborted by the caller's signal, or by unsubscribing (Node 20.0 has no AbortSignal.any).
        const abandon = new AbortController();
        const outer = options.signal;
        const forward = () => abandon.abort(outer?.reason);
        if (outer?.aborted) forward();
        else outer?.addEventListener("abort", forward, { once: true });
        storage
          .update(
            path,
            (current) =>
              lastValueFrom(
                change(
                  current === undefined
                    ? undefined
                    : { version: current.version, read$: () => defer(() => current.read()) },
                ),
              ),
            { signal: abandon.signal },
          )
          .then(
            (version) => {
              subscriber.next(version);
              subscriber.complete();
            },
            (error: unknown) => subscriber.error(error),
          );
        return () => {
          outer?.removeEventListener("abort", forward);
          abandon.abort();
        };
      }),
  };
}
