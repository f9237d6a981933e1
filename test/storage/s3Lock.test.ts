/**
 * The lock made of lock objects, for S3 servers that ignore conditional writes: mutual
 * exclusion under any interleaving (against an in-memory object store whose operations
 * land in a random order), a lock of a dead process taken over after its lease, a live one
 * waited for until `lockWaitMs`, and a holder that lost its lease writing nothing. Also: the
 * SDK is an optional peer dependency, and the S3 read limit.
 */
import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Storage, StorageError } from "../../src/storage/index.js";
import { type ListedObject, type LockObjects, withObjectLock } from "../../src/storage/s3Lock.js";
import { SDK_MISSING } from "../../src/storage/s3Sdk.js";
import { type S3Server, startS3Server } from "./helpers/s3server.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An object store whose every operation lands after a delay drawn from `delays`. */
function memoryObjects(delays: () => number): LockObjects & { keys(): string[] } {
  const objects = new Map<string, Date>();
  return {
    put: async (key) => {
      await sleep(delays());
      objects.set(key, new Date());
    },
    list: async (prefix): Promise<ListedObject[]> => {
      await sleep(delays());
      return [...objects]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, lastModified]) => ({ key, lastModified }));
    },
    remove: async (key) => {
      await sleep(delays());
      objects.delete(key);
    },
    keys: () => [...objects.keys()],
  };
}

describe("withObjectLock", () => {
  it("lets one holder in at a time, whatever order the operations land in, and leaves no lock object", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 64 }),
        fc.integer({ min: 2, max: 5 }),
        async (pattern, writers) => {
          let next = 0;
          const objects = memoryObjects(() => pattern[next++ % pattern.length] as number);
          let inside = 0;
          let most = 0;
          let done = 0;
          await Promise.all(
            Array.from({ length: writers }, () =>
              withObjectLock(
                objects,
                "s3://b/k",
                "k",
                { leaseMs: 60_000, waitMs: 60_000 },
                async () => {
                  inside++;
                  most = Math.max(most, inside);
                  await sleep(10);
                  inside--;
                  done++;
                },
              ),
            ),
          );
          expect(most).toBe(1);
          expect(done).toBe(writers);
          expect(objects.keys()).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it("stops a holder that could not refresh its lock within the lease before it writes", async () => {
    const objects = memoryObjects(() => 0);
    let puts = 0;
    const failing: LockObjects = {
      ...objects,
      put: async (key, body) => {
        if (++puts > 1) throw new Error("the server is gone");
        await objects.put(key, body);
      },
    };
    const error = await withObjectLock(
      failing,
      "s3://b/k",
      "k",
      { leaseMs: 90, waitMs: 1000 },
      async (stillHeld) => {
        await sleep(150);
        stillHeld();
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe("ECOMPROMISED");
    expect((error as Error).message).toMatch(
      /^writing s3:\/\/b\/k failed: its lock was not refreshed for \d+ ms, more than the lease allows \(the server is gone\), so another process may have taken it over; nothing was written, save again$/,
    );
  });
});

describe("S3 saves through lock objects (plain s3rver)", () => {
  let server: S3Server;
  let client: S3Client;
  beforeAll(async () => {
    server = await startS3Server({ buckets: ["lab"] });
    client = new S3Client(server.storageOptions());
  });
  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });
  const keys = async (prefix: string) =>
    (await client.send(new ListObjectsV2Command({ Bucket: "lab", Prefix: prefix }))).Contents?.map(
      (o) => o.Key,
    );
  const put = (key: string, body: string) =>
    client.send(new PutObjectCommand({ Bucket: "lab", Key: key, Body: body }));

  it("waits for a live lock object, then gives up after lockWaitMs, naming it, and writes nothing", async () => {
    await put("held/project.json", "[]");
    await put("held/project.json.lazyscribe-lock.000000000-alive", "{}");
    const storage = new S3Storage(
      server.storageOptions({ conditionalWrites: false, lockWaitMs: 300, lockLeaseMs: 60_000 }),
    );
    const error = await storage.update("lab/held/project.json", () => "[1]").catch((e) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe("ELOCKED");
    expect((error as Error).message).toBe(
      "writing s3://lab/held/project.json failed: another process held its lock for more than 300 ms (lock objects held/project.json.lazyscribe-lock.000000000-alive); save again later",
    );
    expect(new TextDecoder().decode(await storage.read("lab/held/project.json"))).toBe("[]");
    expect(await keys("held/")).toEqual([
      "held/project.json",
      "held/project.json.lazyscribe-lock.000000000-alive",
    ]);
  });

  it("takes over the lock object of a process that died once it is older than the lease", async () => {
    await put("dead/project.json.lazyscribe-lock.000000000-dead", "{}");
    await sleep(2500);
    const storage = new S3Storage(
      server.storageOptions({ conditionalWrites: false, lockLeaseMs: 1000 }),
    );
    await storage.update("lab/dead/project.json", () => "[1]");
    expect(new TextDecoder().decode(await storage.read("lab/dead/project.json"))).toBe("[1]");
    expect(await keys("dead/")).toEqual(["dead/project.json"]);
  });

  it("refuses an object larger than maxReadBytes from its Content-Length", async () => {
    await put("big/project.json", "x".repeat(3000));
    const storage = new S3Storage(server.storageOptions({ maxReadBytes: 2048 }));
    await expect(storage.read("lab/big/project.json")).rejects.toThrow(
      "reading s3://lab/big/project.json refused: the file is 2.9 KiB (3000 bytes), more than the 2 KiB (2048 bytes) lazyscribe reads; raise storageOptions.maxReadBytes to read it",
    );
  });
});

describe("the AWS SDK, an optional peer dependency", () => {
  const missing = async () => {
    throw Object.assign(new Error("Cannot find package '@aws-sdk/client-s3'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
  };

  it("is asked for by name when it is not installed", async () => {
    const storage = new S3Storage({ region: "us-east-1" }, missing);
    for (const attempt of [
      () => storage.read("bucket/project.json"),
      () => storage.write("bucket/project.json", "[]"),
      () => storage.update("bucket/project.json", () => "[]"),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toBe(
        "install @aws-sdk/client-s3 to use s3:// locations (npm install @aws-sdk/client-s3): lazyscribe loads it only for S3",
      );
      expect((error as Error).message).toBe(SDK_MISSING);
      expect((error as StorageError).code).toBe("ERR_MODULE_NOT_FOUND");
    }
  });

  it("is loaded again after a failed load (installed meanwhile)", async () => {
    let calls = 0;
    const storage = new S3Storage({ region: "us-east-1" }, async () => {
      calls++;
      if (calls === 1) return missing();
      throw new Error("the second load ran");
    });
    await expect(storage.read("bucket/p.json")).rejects.toThrow(SDK_MISSING);
    await expect(storage.read("bucket/p.json")).rejects.toThrow(
      "loading @aws-sdk/client-s3 failed: the second load ran",
    );
    expect(calls).toBe(2);
  });
});
