/**
 * `s3://bucket/key` files, through the AWS SDK v3 client (`@aws-sdk/client-s3`, loaded on
 * first use). Works with AWS S3 and S3-compatible servers (MinIO, Ceph, R2, s3rver...).
 *
 * A PUT replaces an object whole, so readers never see a half-written file. Updates use
 * conditional writes (`If-Match: <ETag>`, `If-None-Match: *`) where the server honours them:
 * a write that would overwrite someone else's is refused with 412, and the update reads the
 * file again, recomputes and retries.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { writeBatch } from "./batch.js";
import { StorageError } from "./errors.js";
import { KeyedQueue } from "./queue.js";
import type {
  CurrentFile,
  FileChange,
  FileWrite,
  Storage,
  StorageOptions,
  UpdateOptions,
  Versioned,
} from "./storage.js";

type Sdk = typeof import("@aws-sdk/client-s3");

/**
 * The options of an `s3://` location (a project's `storageOptions`). Every option of the
 * SDK's `S3ClientConfig` is passed through to the client; the usual ones are listed here.
 */
export interface S3StorageOptions {
  /** The server's URL, for S3-compatible servers (`http://127.0.0.1:9000`); AWS by default. */
  readonly endpoint?: string;
  /** The region (default: the SDK's, from `AWS_REGION` or the AWS config files). */
  readonly region?: string;
  /** The access key (default: the SDK's credential chain: environment, files, roles...). */
  readonly credentials?: S3ClientConfig["credentials"];
  /** Address buckets as `<endpoint>/<bucket>` instead of `<bucket>.<endpoint>` (most S3-compatible servers). */
  readonly forcePathStyle?: boolean;
  /**
   * Whether the server honours conditional writes (`If-Match` / `If-None-Match` on PUT),
   * which {@link Storage.update} needs to guard concurrent saves: `"auto"` (default) checks
   * once per bucket and process with a probe object beside the file (written, then removed);
   * `true` trusts the server (AWS S3 does since 2024); `false` writes unconditionally without
   * a warning.
   */
  readonly conditionalWrites?: "auto" | boolean;
  /** How many conflicting writes an update retries before it gives up (default 50). */
  readonly maxConflictRetries?: number;
  /** A ready client to use instead of making one from these options. */
  readonly client?: S3Client;
}

/** How many PUTs {@link S3Storage.writeMany} has under way at once. */
export const S3_BATCH_CONCURRENCY = 16;

/** The updates of this process, by endpoint and path. */
const queue = new KeyedQueue();

/** Thrown inside an update when the object changed between two requests: start over. */
class Conflict extends Error {}

interface Found {
  readonly etag: string;
}

/**
 * The S3 backend. Paths are `bucket/key`. One instance keeps one client; `resolveLocation`
 * makes one per `storageOptions` object.
 *
 * **Concurrent updates.** Where the server honours conditional writes (AWS S3, MinIO, R2...),
 * no update is lost. Where it does not (s3rver, older servers), `update` still reads, changes
 * and writes, but two processes doing so at the same moment can overwrite each other: the
 * second write wins. The first such update of a bucket emits a process warning
 * (`LAZYSCRIBE_S3_UNCONDITIONAL`); `conditionalWrites: false` says you know and silences it.
 */
export class S3Storage implements Storage {
  readonly protocol = "s3";
  readonly #options: S3StorageOptions & Record<string, unknown>;
  #client: Promise<{ sdk: Sdk; client: S3Client }> | undefined;
  readonly #conditional = new Map<string, Promise<boolean>>();

  constructor(options: StorageOptions = {}) {
    this.#options = options as S3StorageOptions & Record<string, unknown>;
  }

  /** The endpoint named in messages. */
  get endpoint(): string {
    return typeof this.#options.endpoint === "string" ? this.#options.endpoint : "AWS S3";
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return (await this.readVersioned(path))?.data;
  }

  async readVersioned(path: string): Promise<Versioned | undefined> {
    const { bucket, key } = split(path);
    try {
      const got = await this.#get(bucket, key);
      return got === undefined ? undefined : { data: got.data, version: got.etag };
    } catch (error) {
      throw this.#error("reading", path, error);
    }
  }

  async write(path: string, data: Uint8Array | string): Promise<void> {
    const { bucket, key } = split(path);
    try {
      await this.#put(bucket, key, data, {});
    } catch (error) {
      throw this.#error("writing", path, error);
    }
  }

  /**
   * PUTs the files, {@link S3_BATCH_CONCURRENCY} at a time; each is whole and durable once
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
    const { bucket, key } = split(path);
    const maxRetries = this.#options.maxConflictRetries ?? 50;
    let guarded: boolean;
    try {
      guarded = await this.#honoursConditions(bucket, key);
    } catch (error) {
      throw this.#error("writing", path, error);
    }
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
        const data = await change(current);
        signal?.throwIfAborted();
        changing = false;
        if (!guarded) return await this.#put(bucket, key, data, {});
        return await this.#put(
          bucket,
          key,
          data,
          expected === undefined ? { IfNoneMatch: "*" } : { IfMatch: expected },
        );
      } catch (error) {
        if (changing && !(error instanceof Conflict)) throw error;
        const conflict =
          error instanceof Conflict || (guarded && isConflict(error as SdkError, true));
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

  async exists(path: string): Promise<boolean> {
    const { bucket, key } = split(path);
    try {
      return (await this.#head(bucket, key)) !== undefined;
    } catch (error) {
      throw this.#error("checking", path, error);
    }
  }

  async remove(path: string): Promise<void> {
    const { bucket, key } = split(path);
    try {
      const { sdk, client } = await this.#sdk();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }));
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

  #sdk(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.#client ??= import("@aws-sdk/client-s3").then((sdk) => {
      const { conditionalWrites, maxConflictRetries, client, ...config } = this.#options;
      return { sdk, client: client ?? new sdk.S3Client(config as S3ClientConfig) };
    });
    return this.#client;
  }

  async #get(bucket: string, key: string): Promise<{ data: Uint8Array; etag: string } | undefined> {
    const { sdk, client } = await this.#sdk();
    try {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
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
      known = this.#probe(bucket, key).then((honoured) => {
        if (!honoured) {
          process.emitWarning(
            `the S3 server at ${this.endpoint} ignores conditional writes (If-Match / If-None-Match) in bucket "${bucket}": two processes that save the same file at the same moment can overwrite each other's changes. Set storageOptions.conditionalWrites to false to silence this warning.`,
            { code: "LAZYSCRIBE_S3_UNCONDITIONAL" },
          );
        }
        return honoured;
      });
      known.catch(() => this.#conditional.delete(bucket));
      this.#conditional.set(bucket, known);
    }
    return known;
  }

  /**
   * Writes a probe object twice with `If-None-Match: *` and once with a wrong `If-Match`:
   * a server that honours conditions refuses the last two with 412. The probe is removed.
   */
  async #probe(bucket: string, key: string): Promise<boolean> {
    const probe = `${key}.lazyscribe-probe-${randomBytes(6).toString("hex")}`;
    const attempt = async (conditions: { IfMatch?: string; IfNoneMatch?: string }) => {
      try {
        await this.#put(bucket, probe, "probe", conditions);
        return "written";
      } catch (error) {
        const e = error as SdkError;
        if (isConflict(e, false)) return "refused";
        if (e.name === "NotImplemented" || e.$metadata?.httpStatusCode === 501) {
          return "unsupported";
        }
        throw error;
      }
    };
    try {
      if ((await attempt({ IfNoneMatch: "*" })) !== "written") return false;
      if ((await attempt({ IfNoneMatch: "*" })) !== "refused") return false;
      return (await attempt({ IfMatch: '"00000000000000000000000000000000"' })) === "refused";
    } finally {
      const { sdk, client } = await this.#sdk();
      await client
        .send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: probe }))
        .catch(() => undefined);
    }
  }

  /** A {@link StorageError} that says what failed, where, and what to do. */
  #error(action: string, path: string, error: unknown): StorageError {
    if (error instanceof StorageError) return error;
    const e = error as SdkError;
    const code = e?.Code ?? e?.code ?? e?.name;
    const detail = e?.message || code || String(error);
    const where = `s3://${path}`;
    const bucket = path.split("/")[0];
    let reason: string;
    if (e?.name === "NoSuchBucket") {
      reason = `the bucket "${bucket}" does not exist at ${this.endpoint}; create it or correct the location`;
    } else if (
      ["InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"].includes(
        e?.name,
      )
    ) {
      reason = `${this.endpoint} refused the credentials (${e.name}: ${detail}); check storageOptions.credentials or the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables`;
    } else if (e?.name === "AccessDenied" || e?.$metadata?.httpStatusCode === 403) {
      reason = `access denied by ${this.endpoint} (${detail}); the credentials need read and write rights on the bucket "${bucket}"`;
    } else if (e?.name === "CredentialsProviderError") {
      reason = `no credentials were found (${detail}); pass storageOptions.credentials or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
    } else if (/region is missing/i.test(detail)) {
      reason = `no region is set; pass storageOptions.region or set AWS_REGION`;
    } else if (NETWORK_CODES.has(String(e?.code)) || e?.name === "TimeoutError") {
      reason = `cannot reach the S3 server at ${this.endpoint} (${detail}); check that it is running and that storageOptions.endpoint is right`;
    } else {
      reason = `${e?.name && e.name !== "Error" ? `${e.name}: ` : ""}${detail}`;
    }
    return new StorageError(`${action} ${where} failed: ${reason}`, {
      cause: error,
      code: typeof code === "string" ? code : undefined,
    });
  }
}

/** What the SDK's errors carry. */
interface SdkError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/**
 * Whether a PUT was refused because its condition failed: 412 Precondition Failed, 409
 * ConditionalRequestConflict (a concurrent conditional write), and, for `If-Match` on an
 * object deleted meanwhile, 404 NoSuchKey.
 */
function isConflict(error: SdkError, removedCounts: boolean): boolean {
  const status = error?.$metadata?.httpStatusCode;
  return (
    error?.name === "PreconditionFailed" ||
    error?.name === "ConditionalRequestConflict" ||
    status === 412 ||
    status === 409 ||
    (removedCounts && error?.name === "NoSuchKey")
  );
}

/** `bucket/key` split at the first slash. */
function split(path: string): { bucket: string; key: string } {
  const slash = path.indexOf("/");
  const bucket = slash < 0 ? path : path.slice(0, slash);
  const key = slash < 0 ? "" : path.slice(slash + 1);
  if (bucket === "" || key === "") {
    throw new StorageError(
      `"s3://${path}" is not an S3 object location: write s3://<bucket>/<key>, e.g. s3://my-bucket/projects/project.json`,
    );
  }
  return { bucket, key };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
