/**
 * Watching a project file for changes made by other processes. Saves replace the file by a
 * rename, so the folder is watched (a watch on the file itself would follow the old inode).
 *
 * @module
 */
import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, resolve } from "node:path";

/** A running watch; `close()` stops it. */
export interface FileWatch {
  close(): void;
}

/**
 * Calls `onChange` once the file at `path` has stopped changing for `debounceMs`
 * milliseconds (a save is a few events: create, write, rename).
 */
export function watchFile(path: string, onChange: () => void, debounceMs = 25): FileWatch {
  const target = basename(path);
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
  };
  let watcher: FSWatcher | undefined = watch(dirname(resolve(path)), (_type, name) => {
    if (name === null || name === target) fire();
  });
  watcher.on("error", () => {
    watcher?.close();
    watcher = undefined;
  });
  watcher.unref();
  return {
    close() {
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}
