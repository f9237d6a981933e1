/**
 * The backends the storage suites run against: local files, memory://, and S3 through the
 * real AWS SDK client on the suite's s3rver.
 */
import {
  LocalStorage,
  MemoryStorage,
  S3Storage,
  type Storage,
} from "../../../src/storage/index.js";
import { tempDir } from "../../helpers/fixtures.js";
import type { S3Server } from "./s3server.js";

/** One backend, and how to get it with a fresh folder-like prefix for one test's files. */
export interface Backend {
  readonly name: string;
  make(): { storage: Storage; base: string };
}

/** The three backends; `s3()` gives the suite's running server, `prefix` names the test files. */
export function backends(s3: () => S3Server, prefix: string): Backend[] {
  return [
    { name: "local files", make: () => ({ storage: new LocalStorage(), base: tempDir() }) },
    {
      name: "memory://",
      make: () => ({ storage: new MemoryStorage(), base: `${prefix}/${Math.random()}` }),
    },
    {
      name: "s3:// (s3rver)",
      make: () => ({
        storage: new S3Storage(s3().storageOptions({ conditionalWrites: false })),
        base: `lab/${prefix}/${Math.random().toString(36).slice(2)}`,
      }),
    },
  ];
}

/** Bytes read back as text (`undefined` for a missing file). */
export const text = (data: Uint8Array | undefined): string | undefined =>
  data === undefined ? undefined : new TextDecoder().decode(data);
