/**
 * Local files. Writes go to a temporary file in the same folder, are flushed, then renamed
 * over the target, so a reader or a crash never sees a half-written file.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Storage } from "./storage.js";

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

/** The local filesystem backend (plain paths and `file://` URLs). */
export class LocalStorage implements Storage {
  readonly protocol = "file";

  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async write(path: string, data: Uint8Array | string): Promise<void> {
    const folder = dirname(path);
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }
}
