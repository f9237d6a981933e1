/**
 * Whether an S3 server honours conditional writes (`If-Match` / `If-None-Match` on PUT): AWS
 * S3, MinIO and R2 do; s3rver and some older servers store the object whatever the condition.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { isConflict, type SdkError } from "./s3Sdk.js";

/** A PUT with optional conditions, and a DELETE, of keys in one bucket. */
export interface ProbeObjects {
  put(
    key: string,
    body: string,
    conditions: { IfMatch?: string; IfNoneMatch?: string },
  ): Promise<unknown>;
  remove(key: string): Promise<void>;
}

/**
 * Writes a probe object beside `key` with `If-None-Match: *` (it does not exist: written),
 * again (it exists now: a server that honours conditions refuses with 412), and once with an
 * `If-Match` no object has (refused too). The probe object is removed.
 *
 * @returns whether both conditional writes that must fail were refused.
 */
export async function probeConditionalWrites(objects: ProbeObjects, key: string): Promise<boolean> {
  const probe = `${key}.lazyscribe-probe-${randomBytes(6).toString("hex")}`;
  // Each attempt writes a body of another size, so that a write can be seen to have landed.
  let attempts = 0;
  const attempt = async (conditions: { IfMatch?: string; IfNoneMatch?: string }) => {
    attempts++;
    try {
      await objects.put(probe, "probe".padEnd(4 + attempts, "!"), conditions);
      return "written";
    } catch (error) {
      const e = error as SdkError;
      if (isConflict(e, false)) return "refused";
      if (e.name === "NotImplemented" || e.$metadata?.httpStatusCode === 501) return "unsupported";
      throw error;
    }
  };
  try {
    if ((await attempt({ IfNoneMatch: "*" })) !== "written") return false;
    if ((await attempt({ IfNoneMatch: "*" })) !== "refused") return false;
    return (await attempt({ IfMatch: '"00000000000000000000000000000000"' })) === "refused";
  } finally {
    await objects.remove(probe).catch(() => undefined);
  }
}
