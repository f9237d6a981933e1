/**
 * `s3://bucket/key` files, through the AWS SDK v3 client (`@aws-sdk/client-s3`, an optional
 * peer dependency loaded on first use). Works with AWS S3 and S3-compatible servers (MinIO,
 * Ceph, R2, s3rver...).
 *
 * A PUT replaces an object whole, so readers never see a half-written file; how concurrent
 * updates stay safe is told on {@link S3Storage}.
 *
 * @module
 */
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { writeBatch } from "./batch.js";
import { StorageError } from "./errors.js";
import { maxReadBytesOf, tooLargeError } from "./limits.js";
import { LOCK_STALE_MS, LOCK_WAIT_MS } from "./localLock.js";
import { KeyedQueue } from "./queue.js";
import { type ListedObject, withObjectLock } from "./s3Lock.js";
import { type S3StorageOptions, type SdkLoader, splitS3Path } from "./s3Options.js";
import { probeConditionalWrites } from "./s3Probe.js";
import { importSdk, isConflict, loadSdk, type SdkClient, type SdkError, s3Error } from "./s3Sdk.js";
import {
  type CurrentFile,
  type FileChange,
  type FileWrite,
  type Storage,
  type StorageOptions,
  type UpdateOptions,
  type Versioned,
  wholeContent,
} from "./storage.js";

/** How many PUTs {@link S3Storage.writeMany} has under way at once. */
export const S3_BATCH_CONCURRENCY = 16;

/** The updates of this process, by endpoint and path. */
const queue = new KeyedQueue();

/** Thrown inside an update when the object changed between two requests: start over. */
class Conflict extends Error {}

/** Carries what a change threw through the lock, to be passed on as it is. */
class ChangeFailed {
  constructor(readonly error: unknown) {}
}

type Found = { readonly etag: string };

/**
 * The S3 backend. Paths are `bucket/key`. One instance keeps one client; `resolveLocation`
 * makes one per `storageOptions` object.
 *
 * **Concurrent updates.** Where the server honours conditional writes (AWS S3, MinIO, R2...),
 * an update writes with `If-Match` / `If-None-Match` and retries on a conflict. Where it does
 * not (s3rver, older servers: found by a probe at the first update of a bucket, or said by
 * `conditionalWrites: false`), an update holds a lock made of lock objects
 * (`<key>.lazyscribe-lock.<ticket>`, with PUT, LIST and DELETE) around its read and write, so
 * that no update is lost either. That lock needs every writer of the file to use lazyscribe
 * with the same setting, the right to list the bucket, and a server whose LIST shows an
 * object as soon as its PUT has been answered; like any lease, a writer paused for longer
 * than `lockLeaseMs` between its last check and its write can still overwrite a newer save.
 */
export class S3Storage implements Storage {
  readonly protocol = "s3";
  readonly #options: S3StorageOptions & Record<string, unknown>;
  readonly #loader: SdkLoader;
  #client: Promise<SdkClient> | undefined;
  readonly #conditional = new Map<string, Promise<boolean>>();
  readonly #maxReadBytes: number;

  /**
   * @param options see {@link S3StorageOptions}.
   * @param loadSdk how to load `@aws-sdk/client-s3` (for tests; the default imports it).
   */
  constructor(options: StorageOptions = {}, loadSdk: SdkLoader = importSdk) {
    this.#options = options as S3StorageOptions & Record<string, unknown>;
    this.#loader = loadSdk;
    this.#maxReadBytes = maxReadBytesOf(options);
  }

  /** The endpoint named in messages. */
  get endpoint(): string {
    return typeof this.#options.endpoint === "string" ? this.#options.endpoint : "AWS S3";
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return (await this.readVersioned(path))?.data;
  }

  async readVersioned(path: string): Promise<Versioned | undefined> {
    const { bucket, key } = splitS3Path(path);
    try {
      const got = await this.#get(bucket, key);
      return got === undefined ? undefined : { data: got.data, version: got.etag };
    } catch (error) {
      throw this.#error("reading", path, error);
    }
  }

  async write(path: string, data: Uint8Array | string): Promise<void> {
    const { bucket, key } = splitS3Path(path);
    try {
      await this.#put(bucket, key, data, {});
    } catch (error) {
      throw this.#error("writing", path, error);
    }
  }

  /**
   * PUTs the files, `S3_BATCH_CONCURRENCY` at a time; each is whole and durable once
   * the server has answered.
   */
  async writeMany(files: readonly FileWrite[]): Promise<void> {
    await writeBatch(files, S3_BATCH_CONCURRENCY, ({ path, data }) => this.write(path, data));
  }

  /**
   * Updates from this process (through any `S3Storage` of the same endpoint) queue per path;
   * across processes, see the class's notes.
   */
  async update(path: string, change: FileChange, options: UpdateOptions = {}): Promise<string> {
    return queue.run(`${this.endpoint}|${path}`, () => this.#update(path, change, options.signal));
  }

  async #update(path: string, change: FileChange, signal?: AbortSignal): Promise<string> {
    const { bucket, key } = splitS3Path(path);
    let guarded: boolean;
    try {
      guarded = await this.#honoursConditions(bucket, key);
    } catch (error) {
      throw this.#error("writing", path, error);
    }
    if (guarded) return this.#conditionalUpdate(bucket, key, change, signal);
    try {
      return await withObjectLock(
        this.#lockObjects(bucket),
        `s3://${path}`,
        key,
        {
          leaseMs: this.#options.lockLeaseMs ?? LOCK_STALE_MS,
          waitMs: this.#options.lockWaitMs ?? LOCK_WAIT_MS,
        },
        async (stillHeld) => {
          const found = await this.#head(bucket, key);
          const current: CurrentFile | undefined =
            found === undefined
              ? undefined
              : { version: found.etag, read: () => this.#readForUpdate(bucket, key) };
          let data: Uint8Array | string;
          try {
            data = await wholeContent(await change(current), current);
          } catch (error) {
            throw new ChangeFailed(error);
          }
          const body = typeof data === "string" ? new TextEncoder().encode(data) : data;
          signal?.throwIfAborted();
          stillHeld();
          const etag = await this.#put(bucket, key, body, {});
          await this.#settled(bucket, key, body.length);
          return etag;
        },
      );
    } catch (error) {
      if (error instanceof ChangeFailed) throw error.error;
      throw this.#error("writing", path, error);
    }
  }

  async #conditionalUpdate(
    bucket: string,
    key: string,
    change: FileChange,
    signal?: AbortSignal,
  ): Promise<string> {
    const path = `${bucket}/${key}`;
    const maxRetries = this.#options.maxConflictRetries ?? 50;
    for (let attempt = 0; ; attempt++) {
      let changing = false;
      try {
        const found = await this.#head(bucket, key);
        let expected = found?.etag;
        let current: CurrentFile | undefined;
        if (found !== undefined) {
          current = {
            version: found.etag,
            read: async () => {
              const got = await this.#get(bucket, key).catch((error) => {
                throw this.#error("reading", path, error);
              });
              if (got === undefined) throw new Conflict("the file was removed meanwhile");
              expected = got.etag;
              return got.data;
            },
          };
        }
        changing = true;
        const data = await wholeContent(await change(current), current);
        signal?.throwIfAborted();
        changing = false;
        return await this.#put(
          bucket,
          key,
          data,
          expected === undefined ? { IfNoneMatch: "*" } : { IfMatch: expected },
        );
      } catch (error) {
        if (changing && !(error instanceof Conflict)) throw error;
        const conflict = error instanceof Conflict || isConflict(error as SdkError, true);
        if (!conflict) throw this.#error("writing", path, error);
        if (attempt >= maxRetries) {
          throw new StorageError(
            `writing s3://${path} failed: the object changed under ${attempt + 1} attempts in a row (other processes keep writing it); save again later`,
            { cause: error, code: "PreconditionFailed" },
          );
        }
        await sleep(Math.random() * Math.min(1000, 20 * 2 ** Math.min(attempt, 6)));
      }
    }
  }

  async #readForUpdate(bucket: string, key: string): Promise<Uint8Array> {
    const got = await this.#get(bucket, key).catch((error) => {
      throw this.#error("reading", `${bucket}/${key}`, error);
    });
    // Under the lock nobody else writes it; a removal by hand reads as an empty project.
    return got?.data ?? new Uint8Array();
  }

  /**
   * Waits until the server shows the object at its new size (some servers, s3rver among them,
   * answer a PUT before the object is whole), so that the next holder of the lock reads it
   * whole. On AWS S3 the first HEAD shows it.
   */
  async #settled(bucket: string, key: string, size: number): Promise<void> {
    const { sdk, client } = await this.#sdk();
    for (let i = 0; i < 200; i++) {
      const out = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
      if (out.ContentLength === size) return;
      await sleep(5);
    }
  }

  /** The lock objects of `bucket`, through this backend's client. */
  #lockObjects(bucket: string) {
    return {
      put: async (key: string, body: string) => {
        await this.#put(bucket, key, body, {});
        // In place before it can be listed or removed (s3rver answers a PUT early).
        await this.#settled(bucket, key, Buffer.byteLength(body));
      },
      list: async (prefix: string): Promise<ListedObject[]> => {
        const { sdk, client } = await this.#sdk();
        const out = await client.send(
          new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }),
        );
        return (out.Contents ?? []).map((o) => ({
          key: o.Key ?? "",
          lastModified: o.LastModified ?? new Date(0),
        }));
      },
      remove: (key: string) => this.#delete(bucket, key),
    };
  }

  async #delete(bucket: string, key: string): Promise<void> {
    const { sdk, client } = await this.#sdk();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  async exists(path: string): Promise<boolean> {
    const { bucket, key } = splitS3Path(path);
    try {
      return (await this.#head(bucket, key)) !== undefined;
    } catch (error) {
      throw this.#error("checking", path, error);
    }
  }

  async remove(path: string): Promise<void> {
    const { bucket, key } = splitS3Path(path);
    try {
      await this.#delete(bucket, key);
    } catch (error) {
      throw this.#error("removing", path, error);
    }
  }

  /**
   * Whether the server honours conditional writes in `bucket` (see
   * {@link S3StorageOptions.conditionalWrites}). With `"auto"`, the first call probes, next to
   * `key`, and the answer is kept for the bucket.
   */
  async honoursConditionalWrites(bucket: string, key = "lazyscribe"): Promise<boolean> {
    return this.#honoursConditions(bucket, key);
  }

  #sdk(): Promise<SdkClient> {
    this.#client ??= loadSdk(this.#loader).then((sdk) => {
      const {
        conditionalWrites,
        maxConflictRetries,
        lockLeaseMs,
        lockWaitMs,
        maxReadBytes,
        client,
        ...config
      } = this.#options;
      return {
        sdk,
        client: (client as SdkClient["client"]) ?? new sdk.S3Client(config as S3ClientConfig),
      };
    });
    // A failed load is not kept: installing the SDK and trying again works.
    this.#client.catch(() => {
      this.#client = undefined;
    });
    return this.#client;
  }

  async #get(bucket: string, key: string): Promise<{ data: Uint8Array; etag: string } | undefined> {
    const { sdk, client } = await this.#sdk();
    try {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      const size = out.ContentLength ?? 0;
      if (size > this.#maxReadBytes) {
        (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        throw tooLargeError(`s3://${bucket}/${key}`, size, this.#maxReadBytes);
      }
      const data = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      return { data, etag: out.ETag ?? "" };
    } catch (error) {
      if ((error as SdkError).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async #head(bucket: string, key: string): Promise<Found | undefined> {
    const { sdk, client } = await this.#sdk();
    try {
      const out = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { etag: out.ETag ?? "" };
    } catch (error) {
      const e = error as SdkError;
      if (e.name === "NotFound" || e.name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async #put(
    bucket: string,
    key: string,
    data: Uint8Array | string,
    conditions: { IfMatch?: string; IfNoneMatch?: string },
  ): Promise<string> {
    const { sdk, client } = await this.#sdk();
    const body = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const out = await client.send(
      new sdk.PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: key.endsWith(".json") ? "application/json" : undefined,
        ...conditions,
      }),
    );
    return out.ETag ?? "";
  }

  #honoursConditions(bucket: string, key: string): Promise<boolean> {
    const setting = this.#options.conditionalWrites ?? "auto";
    if (setting !== "auto") return Promise.resolve(setting);
    let known = this.#conditional.get(bucket);
    if (known === undefined) {
      known = probeConditionalWrites(
        {
          // Settled before the next step: s3rver answers a PUT before the object is in place,
          // and removing it meanwhile crashes that server.
          put: async (probe, body, conditions) => {
            await this.#put(bucket, probe, body, conditions);
            await this.#settled(bucket, probe, Buffer.byteLength(body));
          },
          remove: (probe) => this.#delete(bucket, probe),
        },
        key,
      );
      known.catch(() => this.#conditional.delete(bucket));
      this.#conditional.set(bucket, known);
    }
    return known;
  }

  /** A {@link StorageError} that says what failed, where, and what to do. */
  #error(action: string, path: string, error: unknown): StorageError {
    return s3Error(this.endpoint, action, path, error);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
