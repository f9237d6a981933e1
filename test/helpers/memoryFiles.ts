/** Reading what a test wrote to `memory://` storage. */
import { MemoryStorage } from "../../src/index.js";

/** The text of the `memory://` file at `path`, or `undefined` when there is none. */
export async function memoryFileText(path: string): Promise<string | undefined> {
  const data = await new MemoryStorage().read(path);
  return data === undefined ? undefined : new TextDecoder().decode(data);
}
