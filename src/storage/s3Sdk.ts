/**
 * The AWS SDK for the `s3://` backend: loaded on first use only (it is an optional peer
 * dependency, installed by those who use S3), and the plain-words errors for what its calls
 * report.
 *
 * @module
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { StorageError } from "./errors.js";
import type { SdkLoader } from "./s3Options.js";

/** The SDK module (`@aws-sdk/client-s3`). */
export type Sdk = typeof import("@aws-sdk/client-s3");

/** The SDK and the client the backend sends its commands with. */
export interface SdkClient {
  readonly sdk: Sdk;
  readonly client: S3Client;
}

/** Imports `@aws-sdk/client-s3` (the default {@link SdkLoader}). */
export const importSdk: SdkLoader = () => import("@aws-sdk/client-s3");

/** The error for an `s3://` location when the SDK is not installed. */
export const SDK_MISSING =
  "install @aws-sdk/client-s3 to use s3:// locations (npm install @aws-sdk/client-s3): lazyscribe loads it only for S3";

/**
 * Loads the SDK through `loader`.
 *
 * @throws StorageError (code `ERR_MODULE_NOT_FOUND`) saying to install `@aws-sdk/client-s3`
 *   when it is not installed; any other failure of the import is passed on as its cause.
 */
export async function loadSdk(loader: SdkLoader): Promise<Sdk> {
  try {
    return (await loader()) as Sdk;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new StorageError(SDK_MISSING, { cause: error, code: "ERR_MODULE_NOT_FOUND" });
    }
    throw new StorageError(
      `loading @aws-sdk/client-s3 failed: ${(error as Error)?.message ?? String(error)}`,
      { cause: error, code: typeof code === "string" ? code : undefined },
    );
  }
}

/** What the SDK's errors carry. */
export interface SdkError {
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
 * ConditionalRequestConflict (a concurrent conditional write), and, when `removedCounts`, for
 * `If-Match` on an object deleted meanwhile, 404 NoSuchKey.
 */
export function isConflict(error: SdkError, removedCounts: boolean): boolean {
  const status = error?.$metadata?.httpStatusCode;
  return (
    error?.name === "PreconditionFailed" ||
    error?.name === "ConditionalRequestConflict" ||
    status === 412 ||
    status === 409 ||
    (removedCounts && error?.name === "NoSuchKey")
  );
}

/**
 * A {@link StorageError} that says what failed (`action` on `s3://<path>`), why, and what to
 * do; `endpoint` is the server named in the message. A `StorageError` is passed on as it is.
 */
export function s3Error(
  endpoint: string,
  action: string,
  path: string,
  error: unknown,
): StorageError {
  if (error instanceof StorageError) return error;
  const e = error as SdkError;
  const code = e?.Code ?? e?.code ?? e?.name;
  const detail = e?.message || code || String(error);
  const bucket = path.split("/")[0];
  let reason: string;
  if (e?.name === "NoSuchBucket") {
    reason = `the bucket "${bucket}" does not exist at ${endpoint}; create it or correct the location`;
  } else if (
    ["InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"].includes(
      e?.name,
    )
  ) {
    reason = `${endpoint} refused the credentials (${e.name}: ${detail}); check storageOptions.credentials or the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables`;
  } else if (e?.name === "AccessDenied" || e?.$metadata?.httpStatusCode === 403) {
    reason = `access denied by ${endpoint} (${detail}); the credentials need read and write rights on the bucket "${bucket}"`;
  } else if (e?.name === "CredentialsProviderError") {
    reason = `no credentials were found (${detail}); pass storageOptions.credentials or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  } else if (/region is missing/i.test(detail)) {
    reason = `no region is set; pass storageOptions.region or set AWS_REGION`;
  } else if (NETWORK_CODES.has(String(e?.code)) || e?.name === "TimeoutError") {
    reason = `cannot reach the S3 server at ${endpoint} (${detail}); check that it is running and that storageOptions.endpoint is right`;
  } else {
    reason = `${e?.name && e.name !== "Error" ? `${e.name}: ` : ""}${detail}`;
  }
  return new StorageError(`${action} s3://${path} failed: ${reason}`, {
    cause: error,
    code: typeof code === "string" ? code : undefined,
  });
}
