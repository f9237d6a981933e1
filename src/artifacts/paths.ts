/**
 * Where artifact files go, and the rules that keep them there: an artifact's file name (or a
 * slug, or a repository artifact's name) can never make a read or a write land outside the
 * folder of its project or repository.
 *
 * @module
 */
import { resolve } from "node:path";
import { joinPath, parseLocation } from "../storage/paths.js";

/** The most bytes one file or folder name may have (Linux's NAME_MAX, and most file systems'). */
export const MAX_NAME_BYTES = 255;
/** The most bytes a local path may have (Linux's PATH_MAX, less its closing NUL). */
export const MAX_PATH_BYTES = 4095;
/** The most bytes an S3 object key may have. */
export const MAX_S3_KEY_BYTES = 1024;

const UTF8 = new TextEncoder();

/** Why a file name or a folder name is refused, or `undefined` when it is safe. */
function problemWithFname(fname: string): string | undefined {
  if (typeof fname !== "string" || fname.length === 0) return "it is empty";
  if (fname.includes("\u0000")) return "it holds a NUL byte";
  if (fname.includes("\\")) return 'it holds a backslash (use "/" between folders)';
  if (fname.startsWith("/")) return "it is an absolute path";
  if (/^[A-Za-z]:/.test(fname)) return "it starts with a drive letter";
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(fname)) return "it is a URL";
  const segments = fname.split("/");
  if (segments.includes("..")) return 'it has a ".." segment, which would leave the folder';
  if (segments[segments.length - 1] === "" || segments[segments.length - 1] === ".") {
    return "it names a folder, not a file";
  }
  return undefined;
}

/** Why a single folder name is refused, or `undefined` when it is safe. */
function problemWithSegment(segment: string): string | undefined {
  if (typeof segment !== "string" || segment.length === 0) return "it is empty";
  if (segment.includes("\u0000")) return "it holds a NUL byte";
  if (segment.includes("/") || segment.includes("\\")) return "it holds a slash";
  if (segment === "." || segment === "..") return `it is "${segment}"`;
  return undefined;
}

/** An error class that takes a message (the caller chooses which error a refusal is). */
export type ErrorClass = new (message: string) => Error;

/**
 * Checks an artifact file name: a relative path, possibly into subfolders (`nested/config.json`),
 * that stays inside its folder.
 *
 * @param what - the artifact, for the message (`artifact "features" of experiment "x"`).
 * @throws the given error class when the name is empty, absolute, a URL, has a `..` segment,
 *   a backslash or a NUL byte.
 */
export function checkFname(fname: string, what: string, ErrorClass: ErrorClass): string {
  const problem = problemWithFname(fname);
  if (problem !== undefined) {
    throw new ErrorClass(
      `${what}: refused file name ${JSON.stringify(fname)}: ${problem}. An artifact's file name must be a relative path inside its folder.`,
    );
  }
  return fname;
}

/**
 * Checks a name used as one folder (an experiment's slug, a test's slug, a repository
 * artifact's name).
 *
 * @throws the given error class when the name is empty, `.`/`..`, or holds a slash or a NUL byte.
 */
export function checkSegment(
  segment: string,
  what: string,
  ErrorClass: ErrorClass,
  hint = "",
): string {
  const problem = problemWithSegment(segment);
  if (problem !== undefined) {
    throw new ErrorClass(
      `${what}: ${JSON.stringify(segment)} cannot name a folder: ${problem}.${hint === "" ? "" : ` ${hint}`}`,
    );
  }
  return segment;
}

/** `<folder>/<fname>` after checking `fname` (see {@link checkFname}). */
export function artifactPath(
  folder: string,
  fname: string,
  what: string,
  ErrorClass: ErrorClass,
): string {
  return joinPath(folder, checkFname(fname, what, ErrorClass));
}

/**
 * A file name like `fname` that `taken` does not hold: `fname` itself when it is free, else
 * `tag` inserted before its extension (`features-20240101000000-v1.json`), then numbered
 * (`...-v1-2.json`) if that is taken too. Python reads the `fname` a record holds, so it reads
 * such a name as well.
 */
export function distinctFname(
  fname: string,
  tag: string,
  taken: (fname: string) => boolean,
): string {
  if (!taken(fname)) return fname;
  const slash = fname.lastIndexOf("/");
  const dot = fname.lastIndexOf(".");
  const [stem, ext] = dot > slash + 1 ? [fname.slice(0, dot), fname.slice(dot)] : [fname, ""];
  let candidate = `${stem}-${tag}${ext}`;
  for (let n = 2; taken(candidate); n++) candidate = `${stem}-${tag}-${n}${ext}`;
  return candidate;
}

/**
 * Checks that the storage can hold a file at `location` (an artifact's, computed when it is
 * logged so that a name too long is refused then, not at every later save): no name longer
 * than {@link MAX_NAME_BYTES} bytes, a local path of at most {@link MAX_PATH_BYTES} bytes,
 * an S3 key of at most {@link MAX_S3_KEY_BYTES} bytes.
 *
 * @param what - the artifact, for the message.
 * @param hint - what to shorten, for the message.
 * @throws the given error class naming the name (or path) that is too long and its length.
 */
export function checkStorable(
  location: string,
  what: string,
  ErrorClass: ErrorClass,
  hint: string,
): string {
  const { protocol, path } = parseLocation(location);
  for (const name of path.split("/")) {
    const bytes = UTF8.encode(name).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new ErrorClass(
        `${what}: its file would be ${location}, whose part ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}...` : name)} is ${bytes} bytes long; a file system allows ${MAX_NAME_BYTES} bytes per name. ${hint}`,
      );
    }
  }
  const [limit, full, kind] =
    protocol === "file"
      ? [MAX_PATH_BYTES, resolve(path), "path"]
      : protocol === "s3"
        ? [MAX_S3_KEY_BYTES, path.slice(path.indexOf("/") + 1), "S3 key"]
        : [Number.POSITIVE_INFINITY, path, "path"];
  const bytes = UTF8.encode(full).length;
  if (bytes > limit) {
    throw new ErrorClass(
      `${what}: its file's ${kind} would be ${bytes} bytes long, more than the ${limit} bytes the storage allows. ${hint}`,
    );
  }
  return location;
}
