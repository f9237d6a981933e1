/**
 * Every TypeScript sample of the README runs as written: each block is written to a file in a
 * fresh temporary folder, which becomes the working folder, and imported, with `lazyscribe`,
 * `lazyscribe/flow` and `lazyscribe/dashboard` resolved to the sources (vitest.config.ts). A
 * block must finish without throwing; what it prints is checked where the README says what
 * it prints. Shell blocks are not run; their `lazyscribe ...` lines are checked against the
 * command line program (commands, options, argument counts).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createProgram } from "../../src/cli/program.js";
import { type S3Server, startS3Server } from "../storage/helpers/s3server.js";
import { commandLineProblems } from "./commandLines.js";
import { blockLabel, type CodeBlock, codeBlocks } from "./readmeBlocks.js";

const README = new URL("../../README.md", import.meta.url);

// The S3 sample names AWS and a MinIO server: its clients are pointed at a local s3rver
// holding both buckets, whatever endpoint and credentials the sample gives.
const s3 = vi.hoisted(() => ({
  endpoint: "",
  credentials: { accessKeyId: "", secretAccessKey: "" },
  /** The configurations the samples gave the SDK's client. */
  given: [] as unknown[],
}));
vi.mock("@aws-sdk/client-s3", async (importOriginal) => {
  const sdk = await importOriginal<typeof import("@aws-sdk/client-s3")>();
  class LocalS3Client extends sdk.S3Client {
    constructor(config: S3ClientConfig = {}) {
      s3.given.push(config);
      const { endpoint, credentials } = s3;
      super({ ...config, endpoint, credentials, region: "us-east-1", forcePathStyle: true });
    }
  }
  return { ...sdk, S3Client: LocalS3Client };
});

/**
 * What a block prints, by its heading (`section › subsection`): each entry matches a whole
 * line the block must print (a string exactly, a RegExp by test), in this order; other lines
 * may come between.
 */
type Prints = readonly (string | RegExp)[];
const PRINTS: Record<string, Prints> = {
  "Use › Metrics by step: the metric history": [
    "0.3333333333333333",
    "[ [ 0, 1 ], [ 1, 0.5 ], [ 2, 0.3333333333333333 ] ]",
  ],
  "Artifacts and repositories › Artifacts on experiments and tests": [
    "[ 'age', 'income' ]",
    "[ 0.1, 0.9 ]",
  ],
  "Artifacts and repositories › Repositories": [
    "[ 'age', 'income' ]",
    '-["age", "income"]',
    '+["age", "income", "city"]',
    "[ 'features 0', 'features 1', 'model 0' ]",
  ],
  "Artifacts and repositories › Releases": ["[ 'v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0' ]"],
  "Command line and dashboard › The dashboard": [/^http:\/\/127\.0\.0\.1:\d+\/$/],
};

/**
 * What a block should print but does not, because of a library bug: checked with `it.fails`,
 * so the test turns red the day the bug is fixed, and the lines move to PRINTS.
 */
const KNOWN_BUGS: Record<string, { readonly bug: string; readonly prints: Prints }> = {};

/**
 * The blocks under "## Flows" are type-checked and run by test/flow/readme.test.ts, with the
 * flow layer's own assertions (marble tests, cancellation); they are not run twice.
 */
const SKIPPED_SECTIONS = new Set(["Flows"]);

const blocks = codeBlocks(await readFile(README, "utf8"));
const samples = blocks.filter((b) => b.lang === "ts" && !SKIPPED_SECTIONS.has(b.section));
const heading = (b: CodeBlock) =>
  b.subsection === "" ? b.section : `${b.section} › ${b.subsection}`;

let server: S3Server;
beforeAll(async () => {
  server = await startS3Server({ buckets: ["my-team-bucket", "ml"] });
  s3.endpoint = server.endpoint;
  s3.credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
});
afterAll(() => server.stop());

describe("README.md", () => {
  it("has the TypeScript samples this suite runs, and a check for each printing one", () => {
    expect(samples.map(heading)).toEqual([
      "Use",
      "Use › Metrics by step: the metric history",
      "Storage and concurrent saves › A project in an S3 bucket",
      "Artifacts and repositories › Artifacts on experiments and tests",
      "Artifacts and repositories › Repositories",
      "Artifacts and repositories › Releases",
      "Command line and dashboard › The dashboard",
    ]);
    for (const key of [...Object.keys(PRINTS), ...Object.keys(KNOWN_BUGS)]) {
      expect(samples.map(heading)).toContain(key);
    }
  });

  const printedBy = new Map<string, string[]>();
  it.each(samples.map((b) => [blockLabel("README.md", b), b] as const))(
    "runs %s",
    async (_, block) => {
      const printed = await runSample(block.code);
      printedBy.set(heading(block), printed);
      expectPrinted(printed, PRINTS[heading(block)] ?? []);
    },
  );

  it("gives the S3 sample's storageOptions to the SDK's client", () => {
    expect(s3.given).toContainEqual(
      expect.objectContaining({
        endpoint: "https://minio.internal:9000",
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "...", secretAccessKey: "..." },
      }),
    );
  });

  it("names real commands, options and argument counts in its `lazyscribe` command lines", () => {
    const silent = { write: () => true };
    const program = createProgram({ stdout: silent, stderr: silent });
    const lines = blocks
      .filter((b) => b.lang === "sh")
      .flatMap((b) => b.code.split("\n"))
      .filter((line) => line.startsWith("lazyscribe "));
    expect(lines).toHaveLength(14);
    expect(lines.flatMap((line) => commandLineProblems(program, line))).toEqual([]);
  });

  for (const [key, { bug, prints }] of Object.entries(KNOWN_BUGS)) {
    it.fails(`${key} prints what the README says, but for ${bug}`, () => {
      const printed = printedBy.get(key);
      expect(printed, "the sample ran").toBeDefined();
      expectPrinted(printed ?? [], prints);
    });
  }
});

/** Each of `expected` matches a line of `printed`, in order. */
function expectPrinted(printed: readonly string[], expected: Prints): void {
  let from = 0;
  for (const pattern of expected) {
    const at = printed.findIndex(
      (line, index) =>
        index >= from && (typeof pattern === "string" ? line === pattern : pattern.test(line)),
    );
    expect(at, `prints ${String(pattern)} in order; it printed:\n${printed.join("\n")}`).not.toBe(
      -1,
    );
    from = at + 1;
  }
}

/** Runs a sample as a module in a fresh working folder; returns the lines it logged. */
async function runSample(code: string): Promise<string[]> {
  const folder = await mkdtemp(join(tmpdir(), "lazyscribe-readme-"));
  const file = join(folder, "sample.ts");
  await writeFile(file, code);
  const printed: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    printed.push(...format(...args).split("\n"));
  });
  const cwd = process.cwd();
  process.chdir(folder);
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    process.chdir(cwd);
    log.mockRestore();
    await rm(folder, { recursive: true, force: true });
  }
  return printed;
}
