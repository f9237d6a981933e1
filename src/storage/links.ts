/**
 * Symbolic links at write time: a file saved through a link replaces the file the link points
 * to, and the link stays (as Python's `open(path, "w")` does), instead of the link being
 * replaced by a regular file.
 *
 * @module
 */
import { readlink, realpath } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileError } from "./errors.js";

/** How many links in a row are followed before giving up (Linux's own limit). */
const MAX_LINKS = 40;

/**
 * The file a write of `path` must replace: `path` itself, or, when `path` is a symbolic link
 * (or a chain of them), the file at its end, with every link in its folders resolved too. A
 * link to a file that does not exist yet resolves to that file, which the write then creates.
 *
 * @throws StorageError for a loop of links or a failure of the system.
 */
export async function writeTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== "ENOENT")
      throw fileError("resolving", path, error);
  }
  let current = path;
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let link: string;
    try {
      link = await readlink(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code;
      // ENOENT: nothing there yet; EINVAL: a regular entry, not a link.
      if (code === "ENOENT" || code === "EINVAL") return current;
      throw fileError("resolving", path, error);
    }
    current = resolve(dirname(current), link);
  }
  throw fileError(
    "resolving",
    path,
    Object.assign(new Error(`more than ${MAX_LINKS} symbolic links in a row`), { code: "ELOOP" }),
  );
}
