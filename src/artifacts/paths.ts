/**
 * Where artifact files go, and the rules that keep them there: an artifact's file name (or a
 * slug, or a repository artifact's name) can never make a read or a write land outside the
 * folder of its project or repository.
 *
 * @module
 */
import { joinPath } from "../storage/paths.js";

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
