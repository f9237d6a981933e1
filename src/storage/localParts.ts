/**
 * Writing content given in parts (`FileParts`) to a local file: each part is written as soon
 * as it is made, by the threads that do the process's file work, while this one makes the
 * next; and what is written is flushed to the disk as it goes, one flush at a time, so that
 * the flush before the file is renamed into place finds little left to write. Making the
 * parts and writing them overlap instead of following each other.
 *
 * @module
 */
import type { FileHandle } from "node:fs/promises";
import { writeAt } from "./localFiles.js";

/** How many writes (and flushes) of parts may be under way while the next part is made. */
const IN_FLIGHT = 4;

/**
 * What making a part threw, carried through the file's writing so that the update fails with
 * that very error rather than as a failure to write the file.
 */
export class PartFailed {
  constructor(readonly error: unknown) {}
}

/**
 * Writes `parts` one after the other from the start of the new file `handle`, flushing as it
 * goes once a second part comes (see the module comment; content of one part is flushed once,
 * by the caller, who flushes the file when this is done). An error thrown while a part is made
 * is thrown as a {@link PartFailed}, once the writes under way have ended; a failed write stops
 * the parts and is thrown as it is.
 */
export async function writeParts(handle: FileHandle, parts: Iterable<Uint8Array>): Promise<void> {
  const underWay: Promise<void>[] = [];
  let failed: { readonly error: unknown } | undefined;
  let flushing = false;
  const track = (work: Promise<void>) => {
    underWay.push(
      work.catch((error: unknown) => {
        failed ??= { error };
      }),
    );
  };
  let position = 0;
  let lastWritten: Promise<void> | undefined;
  try {
    for (const part of parts) {
      if (lastWritten !== undefined && !flushing) {
        flushing = true;
        track(
          lastWritten
            .then(() => handle.datasync())
            .finally(() => {
              flushing = false;
            }),
        );
      }
      lastWritten = writeAt(handle, part, position);
      position += part.length;
      track(lastWritten);
      while (underWay.length >= IN_FLIGHT) await underWay.shift();
      if (failed !== undefined) break;
    }
  } catch (error) {
    await Promise.all(underWay);
    throw new PartFailed(error);
  }
  await Promise.all(underWay);
  if (failed !== undefined) throw failed.error;
}
