/**
 * An artifact's metadata record — what the project or repository file holds for it — and the
 * checks made when it is logged and when it is loaded.
 *
 * @module
 */
import { ArtifactLoadError, ArtifactLogError } from "../errors.js";
import type { ArtifactRecord, JsonValue } from "../format/schemas.js";
import { compactTimestamp, formatTimestamp } from "../format/timestamps.js";
import { slugify } from "../slug/slug.js";
import type { ArtifactData, ArtifactHandler, HandlerOptions } from "./handler.js";
import { checkFname } from "./paths.js";
import { findHandler, getHandler, unknownHandler } from "./registry.js";

const UTF8 = new TextDecoder();

/** `now`, to the second: artifact times are written to the second, so they are kept so. */
export function nowToTheSecond(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

/** Python's default file name: `<slug of name>-<YYYYMMDDHHMMSS>.<suffix>`. */
export function defaultFname(name: string, createdAt: Date, suffix: string): string {
  return `${slugify(name)}-${compactTimestamp(createdAt)}.${suffix}`;
}

/** What an artifact is logged with. */
export interface NewArtifact {
  readonly name: string;
  readonly value: unknown;
  readonly handler: string;
  readonly fname?: string | undefined;
  readonly createdAt: Date;
  readonly version?: number;
  readonly writerOptions: HandlerOptions;
  /** The artifact and where it is logged, for messages (`artifact "x" of experiment "y"`). */
  readonly what: string;
}

/** A logged artifact: its record and the data to write on save. */
export interface EncodedArtifact {
  readonly record: ArtifactRecord;
  readonly data: ArtifactData;
}

/**
 * Builds the record of a new artifact and encodes its value with the handler.
 *
 * @throws ArtifactLogError when the name is not a non-empty string, no handler has that
 *   alias, the file name would leave the folder, or the handler cannot write the value.
 */
export function encodeArtifact(artifact: NewArtifact): EncodedArtifact {
  const { name, what } = artifact;
  if (typeof name !== "string" || name.length === 0) {
    throw new ArtifactLogError(`${what}: an artifact needs a non-empty string name`);
  }
  const handler = findHandler(artifact.handler);
  if (handler === undefined) throw unknownHandler(artifact.handler, name, ArtifactLogError);
  const fname =
    artifact.fname === undefined || artifact.fname === null
      ? defaultFname(name, artifact.createdAt, handler.suffix)
      : checkFname(artifact.fname, what, ArtifactLogError);
  let data: ArtifactData;
  try {
    data = handler.write(artifact.value, artifact.writerOptions);
  } catch (error) {
    throw new ArtifactLogError(
      `${what}: the "${handler.alias}" handler cannot write this value: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const record: ArtifactRecord = {
    ...handler.facts(),
    name,
    fname,
    handler: handler.alias,
    created_at: formatTimestamp(artifact.createdAt),
    expiry: null,
    version: artifact.version ?? 0,
  };
  return { record, data };
}

/**
 * Compares the runtime facts recorded in `record` with those of this runtime's handler.
 *
 * @throws ArtifactLoadError listing the recorded and the current facts when they differ.
 */
export function validateEnvironment(record: ArtifactRecord, handler: ArtifactHandler): void {
  const current = handler.facts();
  const recorded: Record<string, unknown> = {};
  let mismatch = false;
  for (const key of Object.keys(current)) {
    recorded[key] = (record as Record<string, unknown>)[key] ?? null;
    if (!sameJson(recorded[key], current[key] as JsonValue)) mismatch = true;
  }
  if (mismatch) {
    throw new ArtifactLoadError(
      `artifact "${record.name}" (handler "${record.handler}"): runtime environments do not match. ` +
        `Artifact parameters: ${JSON.stringify(recorded)}; current parameters: ${JSON.stringify(current)}. ` +
        "Load it in a matching runtime, or pass { validate: false } to read it anyway.",
    );
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The handler for loading a record, after checking the runtime facts when `validate` is set.
 *
 * @throws ArtifactLoadError naming the handler when none is registered for it, or listing the
 *   recorded and current facts when they differ.
 */
export function handlerForLoad(record: ArtifactRecord, validate: boolean): ArtifactHandler {
  const handler = getHandler(record.handler, record.name);
  if (validate) validateEnvironment(record, handler);
  return handler;
}

/**
 * Decodes an artifact file's content with its handler.
 *
 * @param where - the file, for messages.
 * @throws ArtifactLoadError when the handler cannot read the content.
 */
export function decodeArtifact(
  handler: ArtifactHandler,
  record: ArtifactRecord,
  data: ArtifactData,
  readerOptions: HandlerOptions,
  where: string,
): unknown {
  const input = handler.binary || typeof data === "string" ? data : UTF8.decode(data);
  try {
    return handler.read(input, readerOptions);
  } catch (error) {
    throw new ArtifactLoadError(
      `artifact "${record.name}" (${where}): the "${handler.alias}" handler cannot read it: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
