/**
 * The artifact handler: how one kind of value is written to a file and read back, and which
 * facts of the runtime its format depends on. Python lazyscribe's `Artifact` base class.
 *
 * @module
 */
import type { JsonValue } from "../format/schemas.js";

/** The bytes of an artifact file: a string for text handlers, bytes for binary ones. */
export type ArtifactData = string | Uint8Array;

/** Options passed through to a handler's `write` (e.g. `indent` for JSON) or `read`. */
export type HandlerOptions = Readonly<Record<string, unknown>>;

/**
 * A handler for one kind of artifact, registered by its alias with `registerHandler`.
 *
 * A handler records the runtime facts its format depends on ({@link ArtifactHandler.facts}:
 * the Node major version for the structured-serialisation handler, say) in the artifact's
 * metadata when the artifact is logged; `loadArtifact` compares them with the facts of the
 * runtime that reads it and refuses a mismatch unless `{ validate: false }`.
 *
 * @example
 * ```ts
 * class CsvHandler extends ArtifactHandler<string[][]> {
 *   readonly alias = "csv";
 *   readonly suffix = "csv";
 *   readonly binary = false;
 *   write(rows: string[][]) { return rows.map((r) => r.join(",")).join("\n"); }
 *   read(data: ArtifactData) { return String(data).split("\n").map((l) => l.split(",")); }
 * }
 * registerHandler(CsvHandler);
 * ```
 */
export abstract class ArtifactHandler<T = unknown> {
  /** The name given to `logArtifact` and written as the metadata's `handler`. */
  abstract readonly alias: string;
  /** The suffix of the default file name (`json` gives `features-20240101000000.json`). */
  abstract readonly suffix: string;
  /** Whether the file holds bytes (`read` gets a `Uint8Array`) or text (`read` gets a string). */
  abstract readonly binary: boolean;
  /**
   * Whether the file is output only: reading it back does not give the value that was logged
   * (Python's `output_only`). Such artifacts can still be loaded.
   */
  readonly outputOnly: boolean = false;

  /**
   * The runtime facts the format depends on, recorded in the artifact's metadata (keys other
   * than `name`, `fname`, `handler`, `created_at`, `expiry` and `version`) and compared on load.
   */
  facts(): Readonly<Record<string, JsonValue>> {
    return {};
  }

  /**
   * Encodes a value. Called when the artifact is logged, so that a value the handler cannot
   * write is refused at once, and what is written on save is the value as it was logged.
   *
   * @param options - the writer options given to `logArtifact`.
   * @throws any error, for a value the handler cannot write (it becomes an `ArtifactLogError`).
   */
  abstract write(value: T, options: HandlerOptions): ArtifactData;

  /**
   * Decodes a file's content.
   *
   * @param data - the file's text (text handlers) or bytes (binary handlers).
   * @param options - the reader options given to `loadArtifact`.
   */
  abstract read(data: ArtifactData, options: HandlerOptions): T;
}

/** A handler instance, or a handler class whose constructor takes no argument. */
export type HandlerLike = ArtifactHandler | (new () => ArtifactHandler);
