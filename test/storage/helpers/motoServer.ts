/**
 * A second S3-compatible server for the tests, one that honours conditional writes as AWS S3
 * does by itself: moto's S3 server (moto 5.2, Python), if this machine's python3 has it.
 * It is started on 127.0.0.1 on a free port by the tests, single-threaded, so that each
 * request runs whole before the next (moto checks `If-Match` / `If-None-Match` and stores the
 * object in one request handler; one thread makes the check and the write atomic, as S3's are).
 *
 * moto is not in Debian's packages nor in the npm registry: where python3 cannot import it,
 * {@link motoAvailable} is false and the suites that need it are skipped (the s3rver with the
 * conditional-writes middleware of `s3server.ts` still runs everywhere).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";

/** Whether python3 can run moto's S3 server here. */
export const motoAvailable =
  spawnSync("python3", ["-c", "import moto.server, werkzeug"], { stdio: "ignore" }).status === 0;

const SERVER = `
from werkzeug.serving import make_server
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=False)
print(server.server_port, flush=True)
server.serve_forever()
`;

/** A running moto S3 server. */
export interface MotoServer {
  readonly endpoint: string;
  /** The `storageOptions` of a project on this server (a new object each time). */
  storageOptions(extra?: Record<string, unknown>): Record<string, unknown>;
  stop(): Promise<void>;
}

/** Starts moto's S3 server on 127.0.0.1 on a free port, with `buckets` created. */
export async function startMotoServer(buckets: readonly string[]): Promise<MotoServer> {
  const child: ChildProcess = spawn("python3", ["-c", SERVER], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => resolve(Number(line)));
    child.once("exit", (code) => reject(new Error(`moto's server exited with code ${code}`)));
    child.once("error", reject);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const storageOptions = (extra: Record<string, unknown> = {}) => ({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "moto", secretAccessKey: "moto" },
    ...extra,
  });
  const client = new S3Client(storageOptions());
  for (const bucket of buckets) await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return {
    endpoint,
    storageOptions,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}
