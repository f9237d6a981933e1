/**
 * Child processes for the storage tests. `child.ts` is bundled once with esbuild into
 * node_modules/.cache (so that the AWS SDK, left out of the bundle, is found), so that a child
 * starts in about 0.1 s instead of the half second that compiling TypeScript on the fly takes:
 * the kill test starts hundreds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SOURCE = fileURLToPath(new URL("./child.ts", import.meta.url));

let bundled: Promise<string> | undefined;

/** Bundles `child.ts` (once per test file) and returns the bundle's path. */
export function bundleChild(): Promise<string> {
  bundled ??= (async () => {
    const folder = `${ROOT}node_modules/.cache/lazyscribe-storage-tests`;
    mkdirSync(folder, { recursive: true });
    const outfile = `${folder}/child-${process.pid}.mjs`;
    await build({
      entryPoints: [SOURCE],
      outfile,
      bundle: true,
      // The AWS SDK is large and loaded only by S3 children: it stays in node_modules.
      external: ["@aws-sdk/*"],
      banner: {
        js: 'import { createRequire as lazyscribeRequire } from "node:module"; const require = lazyscribeRequire(import.meta.url);',
      },
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "error",
    });
    process.once("exit", () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundled;
}

/** Starts the bundled child with `args`. */
export async function spawnChild(args: readonly string[]): Promise<ChildProcess> {
  const bundle = await bundleChild();
  return spawn(process.execPath, [bundle, ...args], {
    env: {
      ...process.env,
      LAZYSCRIBE_TEST_CHILD: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** What a finished child printed, and how it ended. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<ChildResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs the child to its end; rejects when it fails. */
export async function runChild(args: readonly string[]): Promise<string> {
  const result = await finished(await spawnChild(args));
  if (result.code !== 0) {
    throw new Error(
      `child ${args.join(" ")} failed (${result.code ?? result.signal}):\n${result.stderr}`,
    );
  }
  return result.stdout;
}
