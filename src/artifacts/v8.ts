/**
 * The built-in `"v8"` artifact handler: JavaScript values through Node's structured
 * serialisation (`node:v8`), the counterpart of Python's `"pickle"` handler.
 *
 * @module
 */
import { deserialize, serialize } from "node:v8";
import type { JsonValue } from "../format/schemas.js";
import { type ArtifactData, ArtifactHandler, type HandlerOptions } from "./handler.js";

/** The major version of the Node.js that runs this code, as recorded in the metadata (`"20"`). */
export function nodeMajorVersion(): string {
  return process.versions.node.split(".")[0] as string;
}

/**
 * Writes any value Node's structured serialisation supports — objects, arrays, `Map`, `Set`,
 * `Date`, `RegExp`, typed arrays, `BigInt`, cycles — with `v8.serialize`, and reads it back
 * with `v8.deserialize`. Functions, symbols and class prototypes are not kept (class
 * instances come back as plain objects).
 *
 * The format belongs to the V8 engine, so the handler records `node_version` (the Node major
 * version) and `loadArtifact` refuses a file written by another major version unless
 * `{ validate: false }`.
 *
 * @example
 * ```ts
 * exp.logArtifact("vocabulary", new Map([["a", 1]]), "v8");
 * ```
 */
export class V8Handler extends ArtifactHandler {
  readonly alias = "v8";
  readonly suffix = "v8";
  readonly binary = true;

  /** `{ node_version: "<major>" }`: the V8 format may change between Node major versions. */
  override facts(): Readonly<Record<string, JsonValue>> {
    return { node_version: nodeMajorVersion() };
  }

  /** `v8.serialize(value)`; throws for values it cannot clone (functions, symbols...). */
  write(value: unknown, options: HandlerOptions): ArtifactData {
    noOptions("writer", options);
    return serialize(value);
  }

  /** `v8.deserialize(data)`. */
  read(data: ArtifactData, options: HandlerOptions): unknown {
    noOptions("reader", options);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    return deserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
}

function noOptions(kind: string, options: HandlerOptions): void {
  const keys = Object.keys(options);
  if (keys.length > 0) {
    throw new TypeError(`the v8 handler takes no ${kind} options (got ${keys.join(", ")})`);
  }
}
