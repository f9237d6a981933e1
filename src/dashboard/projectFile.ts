/**
 * The project file behind the dashboard: read at start, in slices so that the server
 * answers meanwhile, then again each time it changes on disk (or a project of this process
 * saves it), one read at a time. Each read hands the view the records that changed (see
 * `DiskRecords`), or the reason the file could not be read, the last good records staying.
 * A file in Python's layout is read record by record as it comes from the disk (see
 * `streamProjectRecords`), the first time and after each good read in that layout: the
 * server then holds one version of the file and the records that changed, never two whole
 * versions, and its first read yields to the server from its first megabyte. Any other file
 * is read whole.
 *
 * @module
 */
import { access, readFile } from "node:fs/promises";
import { journalPathOf } from "../storage/localJournal.js";
import { LOCK_STALE_MS } from "../storage/localLock.js";
import { DiskRecords } from "./diskRecords.js";
import type { ProjectView } from "./projectView.js";
import { streamProjectRecords } from "./recordStream.js";
import { type FileWatch, watchFile } from "./watch.js";

/** How long reading may hold the event loop before it lets the server answer (ms). */
const SLICE_MS = 20;

/**
 * How long after a failed read to read again while the file's undo journal stands beside it
 * (ms): a save is writing the file in place (see `localInPlace.ts`), for milliseconds.
 */
const JOURNAL_RETRY_MS = 100;

/** Options of {@link ProjectFileReader}. */
export interface ProjectFileOptions {
  /** The file as the user named it (for messages) and its local path. */
  readonly fpath: string;
  readonly path: string;
  /** Where the records go. */
  readonly view: ProjectView;
  /** Whether a missing file holds no experiments (a project of this process will write it). */
  readonly missingIsEmpty: boolean;
  /** Whether to read the file again whenever it changes. */
  readonly watch: boolean;
  /** Called after each read, good or not. */
  readonly onRead: () => void;
  /**
   * What the first read waits for (the server listening, its files loaded): the read's
   * slices would hold them up, and the page's first paint with them.
   */
  readonly start?: Promise<unknown>;
}

/** The text without a leading byte order mark, as the core's `TextDecoder` reads a file. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}

/** Reads the project file into the view, now and whenever it changes. */
export class ProjectFileReader {
  readonly #options: ProjectFileOptions;
  readonly #disk: DiskRecords;
  readonly #watch: FileWatch | undefined;
  #reading: Promise<void> | undefined;
  #again = false;
  /**
   * Whether to read the file record by record as it comes from the disk: at first (a file in
   * Python's layout is then never held whole, and the read yields to the server from its
   * first megabyte), and after a good read of a file in that layout.
   */
  #split = true;
  /** The failed reads in a row that a journal beside the file excused. */
  #excused = 0;
  /** The read again that a journal asked for, until it starts. */
  #retry: NodeJS.Timeout | undefined;

  /** Starts reading the file (and watching it, if asked). */
  constructor(options: ProjectFileOptions) {
    this.#options = options;
    this.#disk = new DiskRecords(options.fpath, options.view.names);
    options.view.setDisk(this.#disk);
    this.#watch = options.watch ? watchFile(options.path, () => this.reload()) : undefined;
    this.reload();
  }

  /** Reads the file again (once the read under way, if any, has finished). */
  reload(): void {
    if (this.#reading !== undefined) {
      this.#again = true;
      return;
    }
    this.#reading = this.#read().finally(() => {
      this.#reading = undefined;
      this.#options.onRead();
      if (this.#again) {
        this.#again = false;
        this.reload();
      }
    });
  }

  /** Stops watching the file. */
  close(): void {
    this.#watch?.close();
    clearTimeout(this.#retry);
  }

  async #read(): Promise<void> {
    const { view, start } = this.#options;
    try {
      await start;
      const read = this.#split ? await this.#readStreaming() : undefined;
      if (read === undefined) {
        const text = await this.#readText();
        if (text === undefined) return;
        this.#split = (await this.#disk.read(text, { sliceMs: SLICE_MS })).layout === "python";
      }
      view.diskChanged();
      this.#excused = 0;
    } catch (error) {
      this.#split = false;
      if (await this.#writtenInPlace()) return;
      view.setError(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Whether a failed read is excused: the file's undo journal stands beside it, so a save of
   * this library is writing it in place and the read may have met it half-written. The last
   * good records stay and the file is read again shortly; a journal that stays longer than a
   * killed save's lock (its save died; the next save or open puts the old file back) no
   * longer excuses, and the view says why the file cannot be read.
   */
  async #writtenInPlace(): Promise<boolean> {
    if (this.#excused * JOURNAL_RETRY_MS >= LOCK_STALE_MS) return false;
    try {
      await access(journalPathOf(this.#options.path));
    } catch {
      return false;
    }
    this.#excused++;
    this.#retry = setTimeout(() => this.reload(), JOURNAL_RETRY_MS);
    this.#retry.unref();
    return true;
  }

  /**
   * The new version read record by record, or `undefined` when it must be read whole (it is
   * not in Python's layout, a record does not read on its own, or the file cannot be opened:
   * reading it whole says why).
   */
  async #readStreaming() {
    try {
      const texts = streamProjectRecords(this.#options.path);
      return await this.#disk.readStream(texts, { sliceMs: SLICE_MS });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== undefined) return undefined;
      throw error;
    }
  }

  /** The file's text, or `undefined` once the view has been told why it cannot be read. */
  async #readText(): Promise<string | undefined> {
    const { view, fpath, path } = this.#options;
    try {
      return withoutBom(await readFile(path, "utf8"));
    } catch (error) {
      if (isMissing(error) && this.#options.missingIsEmpty) return "[]";
      view.setError(
        isMissing(error) ? `no project file at ${fpath}` : `${fpath}: ${(error as Error).message}`,
      );
      return undefined;
    }
  }
}
