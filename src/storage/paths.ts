/**
 * Locations as lazyscribe takes them: a plain path, a `file://` URL, or `<protocol>://<path>`
 * for another backend. These helpers split and join them without touching any backend.
 *
 * @module
 */
import { posix } from "node:path";

/** A location split into its protocol (`file` for plain paths) and its path. */
export interface Location {
  readonly protocol: string;
  readonly path: string;
}

const URL_LIKE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/s;

/** Splits `s3://bucket/key` into `{ protocol: "s3", path: "bucket/key" }`; plain paths are `file`. */
export function parseLocation(location: string): Location {
  const m = URL_LIKE.exec(location);
  if (m === null) return { protocol: "file", path: location };
  return { protocol: (m[1] as string).toLowerCase(), path: m[2] as string };
}

function format(protocol: string, path: string, original: string): string {
  return URL_LIKE.test(original) ? `${protocol}://${path}` : path;
}

/** The folder that holds a location (`.` for a bare file name). */
export function dirnameOf(location: string): string {
  const { protocol, path } = parseLocation(location);
  return format(protocol, posix.dirname(path), location);
}

/** Joins path segments onto a location, keeping its protocol. */
export function joinPath(location: string, ...segments: string[]): string {
  const { protocol, path } = parseLocation(location);
  return format(protocol, posix.join(path, ...segments), location);
}

/** Whether `location` names an absolute path or a URL. */
export function isAbsoluteLocation(location: string): boolean {
  return URL_LIKE.test(location) || posix.isAbsolute(location);
}
