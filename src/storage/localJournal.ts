/**
 * The undo journal of an in-place splice (see `localInPlace.ts`): a file
 * `.<name>.journal` beside the file, written and flushed before the file is touched, removed
 * once the file's new bytes are flushed. It holds what restores the old file exactly (its
 * size, the offset `keep` where the change starts, the old bytes the change overwrites) and
 * the new bytes, so that a recovery can tell a file this writer left half-written from one
 * that someone else rewrote since.
 *
 * Layout: one line `lazyscribe-journal 1 <JSON header>\n`, the old bytes, the new bytes, then
 * the 32-byte SHA-256 of everything before it. A journal whose length or checksum does not
 * match is torn: the writer died while writing it, before it touched the file.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { open, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileError } from "./errors.js";
import { syncFolder } from "./localFiles.js";

const MAGIC = "lazyscribe-journal 1 ";
const DIGEST_BYTES = 32;
const NEWLINE = 0x0a;

/** What an in-place splice changes in a file, and what restores it. */
export interface Journal {
  /** A random name of this change, which tells two journals of the same file apart. */
  readonly id: string;
  /** Where the change starts: the bytes before it are the same in the old and new file. */
  readonly keep: number;
  /** The old file's size. */
  readonly oldSize: number;
  /** The new file's size. */
  readonly newSize: number;
  /** The old file's version token (see `versionToken`). */
  readonly oldVersion: string;
  /** The old bytes from `keep` on that the change overwrites (to the end, or fewer). */
  readonly old: Uint8Array;
  /** The new bytes written at `keep`. */
  readonly fresh: Uint8Array;
}

/** A journal as found beside its file. */
export type JournalState =
  | { readonly kind: "none" }
  | { readonly kind: "torn" }
  | { readonly kind: "complete"; readonly journal: Journal };

interface Header {
  id: string;
  keep: number;
  oldSize: number;
  newSize: number;
  oldVersion: string;
  oldBytes: number;
  freshBytes: number;
}

/** The journal of the real file `path`: `.<name>.journal` in the same folder. */
export function journalPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.journal`);
}

/** A new random journal id. */
export function newJournalId(): string {
  return randomBytes(8).toString("hex");
}

/** The journal's bytes. */
export function encodeJournal(journal: Journal): Buffer {
  const header: Header = {
    id: journal.id,
    keep: journal.keep,
    oldSize: journal.oldSize,
    newSize: journal.newSize,
    oldVersion: journal.oldVersion,
    oldBytes: journal.old.length,
    freshBytes: journal.fresh.length,
  };
  const head = Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`);
  const body = Buffer.concat([head, journal.old, journal.fresh]);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

/** The journal in `bytes`, or `undefined` when they are torn (or not a journal at all). */
export function decodeJournal(bytes: Uint8Array): Journal | undefined {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const end = data.indexOf(NEWLINE);
  if (end < 0 || data.length < DIGEST_BYTES) return undefined;
  const line = data.subarray(0, end).toString("utf8");
  if (!line.startsWith(MAGIC)) return undefined;
  let header: Header;
  try {
    header = JSON.parse(line.slice(MAGIC.length));
  } catch {
    return undefined;
  }
  const start = end + 1;
  if (data.length !== start + header.oldBytes + header.freshBytes + DIGEST_BYTES) return undefined;
  const body = data.subarray(0, data.length - DIGEST_BYTES);
  const digest = createHash("sha256").update(body).digest();
  if (!digest.equals(data.subarray(data.length - DIGEST_BYTES))) return undefined;
  const freshAt = start + header.oldBytes;
  return {
    id: header.id,
    keep: header.keep,
    oldSize: header.oldSize,
    newSize: header.newSize,
    oldVersion: header.oldVersion,
    old: data.subarray(start, freshAt),
    fresh: data.subarray(freshAt, freshAt + header.freshBytes),
  };
}

/** The journal of the real file `path`, if any, and whether it is whole. */
export async function readJournal(path: string): Promise<JournalState> {
  let bytes: Buffer;
  try {
    bytes = await readFile(journalPathOf(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === "ENOENT") return { kind: "none" };
    throw fileError("reading the journal of", path, error);
  }
  const journal = decodeJournal(bytes);
  return journal === undefined ? { kind: "torn" } : { kind: "complete", journal };
}

/**
 * The id of the journal of `path` as it is now (read from its first line), or `undefined`
 * when there is none or its first line is not whole.
 */
export async function journalIdNow(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(journalPathOf(path), "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === "ENOENT") return undefined;
    throw fileError("reading the journal of", path, error);
  }
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const line = head.subarray(0, bytesRead).toString("utf8");
    const match = /^lazyscribe-journal 1 \{"id":"([0-9a-f]+)"/.exec(line);
    return match?.[1];
  } finally {
    await handle.close();
  }
}

/**
 * Writes the journal of the real file `path` and flushes it and its folder, so that it is on
 * the disk before the file is touched. A journal left there is replaced (the caller holds the
 * lock and has recovered from it first).
 */
export async function writeJournal(path: string, journal: Journal): Promise<void> {
  const target = journalPathOf(path);
  try {
    const handle = await open(target, "w");
    try {
      await handle.writeFile(encodeJournal(journal));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(target, { force: true }).catch(() => undefined);
    throw fileError("writing the journal of", path, error);
  }
  await syncFolder(dirname(path));
}

/** Removes the journal of the real file `path` and flushes the folder. */
export async function removeJournal(path: string): Promise<void> {
  try {
    await rm(journalPathOf(path), { force: true });
  } catch (error) {
    throw fileError("removing the journal of", path, error);
  }
  await syncFolder(dirname(path));
}
