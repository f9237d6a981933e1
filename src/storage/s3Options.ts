/**
 * The options of an `s3://` location, and how its path splits into bucket and key.
 *
 * @module
 */
import { StorageError } from "./errors.js";

/**
 * Loads the SDK module: `import("@aws-sdk/client-s3")` unless a test gives another. Typed
 * loosely so that the declarations of this package do not need the SDK's types (it is an
 * optional peer dependency).
 */
export type SdkLoader = () => Promise<unknown>;

/** An access key, or a function that gives one (as the SDK's credential providers do). */
export type S3Credentials = S3AccessKey | (() => Promise<S3AccessKey>);

/** An AWS access key. */
export interface S3AccessKey {
  /** The access key's id (`AKIA...`, or `ASIA...` for temporary credentials). */
  readonly accessKeyId: string;
  /** The secret that goes with the id. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials (from STS, an assumed role...). */
  readonly sessionToken?: string;
  /** When temporary credentials expire; the SDK asks the provider again before then. */
  readonly expiration?: Date;
}

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
  readonly credentials?: S3Credentials;
  /** Address buckets as `<endpoint>/<bucket>` instead of `<bucket>.<endpoint>` (most S3-compatible servers). */
  readonly forcePathStyle?: boolean;
  /**
   * Whether the server honours conditional writes (`If-Match` / `If-None-Match` on PUT),
   * which guard concurrent saves: `"auto"` (default) checks once per bucket and process with
   * a probe object beside the file (written, then removed); `true` trusts the server (AWS S3
   * does since 2024); `false` says it does not. Where it does not, saves hold a lock made of
   * lock objects (which needs the right to list the bucket): see `S3Storage`.
   */
  readonly conditionalWrites?: "auto" | boolean;
  /** How many conflicting writes an update retries before it gives up (default 50). */
  readonly maxConflictRetries?: number;
  /**
   * Without conditional writes: how long, in ms, a lock object may go without being refreshed
   * before it counts as left by a process that died (default 10 s; the holder refreshes it
   * every third of that).
   */
  readonly lockLeaseMs?: number;
  /** Without conditional writes: how long, in ms, a save waits for the lock (default 60 s). */
  readonly lockWaitMs?: number;
  /**
   * The largest object read, in bytes (default 1 GiB): a larger one is refused from its
   * `Content-Length`, before its body is read.
   */
  readonly maxReadBytes?: number;
  /** A ready `S3Client` to use instead of making one from these options. */
  readonly client?: unknown;
}

/** `bucket/key` split at the first slash. */
export function splitS3Path(path: string): { bucket: string; key: string } {
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
