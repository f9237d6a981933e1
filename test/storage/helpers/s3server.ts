/**
 * A real S3-compatible server for the tests: s3rver (from the npm registry) listening on
 * 127.0.0.1 on a free port, its objects in a temporary folder. The tests talk to it through
 * the real AWS SDK v3 client, over HTTP.
 *
 * s3rver writes an object in place and answers a PUT before the object is whole on its disk,
 * so that a GET during or just after a PUT of the same key can read half of it, or nothing: a
 * race of its file store that no S3 service has (a PUT there is atomic, and readable once
 * answered). A small Koa middleware placed in front of s3rver's routes gives it what S3 does:
 * the operations on one key run one at a time, and a PUT is answered once its object is whole.
 * s3rver also ignores conditional writes (`If-Match` / `If-None-Match` on PutObject: it stores
 * the object anyway); with `conditional: true` the middleware refuses a PUT whose condition
 * does not hold with 412 PreconditionFailed, as S3 does. Everything else is s3rver's own.
 */
import { mkdtempSync } from "node:fs";
import { stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

// The SDK warns once per process that its 2027 releases will need Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** The key pair s3rver accepts (it checks the access key id, not the signature). */
export const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/** A running test server. */
export interface S3Server {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** The `storageOptions` of a project on this server (a new object each time). */
  storageOptions(extra?: Record<string, unknown>): Record<string, unknown>;
  /** How many conditional PUTs the server refused with 412 (with `conditional: true`). */
  readonly refused: number;
  /** Creates a bucket through the S3 API. */
  createBucket(name: string): Promise<void>;
  /** Stops listening (the objects are kept). */
  stop(): Promise<void>;
  /** Listens again, on the same port, with the same objects. */
  restart(): Promise<void>;
}

/** Options of {@link startS3Server}. */
export interface S3ServerOptions {
  /** Honour If-Match / If-None-Match on PUT, as S3 does (s3rver alone stores the object anyway). */
  readonly conditional?: boolean;
  /** Buckets to create before the server listens. */
  readonly buckets?: readonly string[];
}

interface KoaContext {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  query: Record<string, unknown>;
  status: number;
  body: unknown;
  type: string;
  res: NodeJS.EventEmitter & { writableFinished: boolean };
  store: {
    getMetadata(bucket: string, key: string): Promise<{ etag: string }>;
    getResourcePath(bucket: string, key: string, resource: string): string;
  };
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/** Starts s3rver on 127.0.0.1 on a free port. */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), "lazyscribe-s3rver-"));
  const counters = { refused: 0 };
  let port = 0;
  let server: S3rver;
  const listen = async () => {
    server = new S3rver({
      address: "127.0.0.1",
      port,
      silent: true,
      directory,
      configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
    });
    (server as unknown as { middleware: Middleware[] }).middleware.unshift(
      objectOperations(counters, options.conditional === true),
    );
    port = (await server.run()).port;
  };
  await listen();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    storageOptions: (extra = {}) => ({
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: CREDENTIALS,
      ...extra,
    }),
    get refused() {
      return counters.refused;
    },
    async createBucket(name) {
      const client = new S3Client({
        endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: CREDENTIALS,
      });
      await client.send(new CreateBucketCommand({ Bucket: name }));
      client.destroy();
    },
    stop: () => server.close(),
    restart: listen,
  };
}

/**
 * The object operations (`/<bucket>/<key>`) of one key run one at a time, each PUT answered
 * once its object is whole; with `conditions`, a PUT whose `If-Match` / `If-None-Match` does
 * not hold is refused.
 */
function objectOperations(counters: { refused: number }, conditions: boolean): Middleware {
  const queues = new Map<string, Promise<void>>();
  return async (ctx, next) => {
    const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (match === null) return next();
    const bucket = match[1] as string;
    const key = decodeURIComponent(match[2] as string);
    const id = `${bucket}/${key}`;
    const previous = queues.get(id) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const chained = previous.then(() => mine);
    queues.set(id, chained);
    await previous;
    // Held until the response is sent: a GET streams its body after the middleware returns.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (queues.get(id) === chained) queues.delete(id);
      done();
    };
    ctx.res.once("finish", release);
    ctx.res.once("close", release);
    try {
      const plainPut =
        ctx.method === "PUT" &&
        ctx.headers["x-amz-copy-source"] === undefined &&
        ctx.query.uploadId === undefined;
      const ifMatch = ctx.headers["if-match"];
      const ifNoneMatch = ctx.headers["if-none-match"];
      if (conditions && plainPut && (ifMatch !== undefined || ifNoneMatch !== undefined)) {
        const etag = await ctx.store.getMetadata(bucket, key).then(
          (metadata) => metadata.etag,
          () => undefined,
        );
        const holds =
          (ifNoneMatch === undefined || (ifNoneMatch === "*" && etag === undefined)) &&
          (ifMatch === undefined || (etag !== undefined && ifMatch === etag));
        if (!holds) {
          counters.refused++;
          ctx.status = 412;
          ctx.type = "application/xml";
          ctx.body =
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-Match</Condition></Error>';
          return;
        }
      }
      await next();
      if (plainPut && ctx.status === 200) {
        // s3rver answers before its write stream is flushed: wait until the file is whole.
        const expected = Number(ctx.headers["content-length"]);
        const file = ctx.store.getResourcePath(bucket, key, "object");
        for (let i = 0; i < 1000 && (await stat(file)).size < expected; i++) {
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
    } finally {
      if (ctx.res.writableFinished) release();
    }
  };
}
