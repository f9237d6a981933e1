/**
 * The README's "## Flows" section, as printed: every ```ts block is type-checked against the
 * sources (its `lazyscribe/flow` import mapped to them) and run as a script of its own.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The ```ts blocks of the README's "## Flows" section (up to the next "## " heading). */
function flowBlocks(): string[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const start = readme.indexOf("\n## Flows\n");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** Where the blocks are written: inside the repository, so that `rxjs` resolves. */
const dir = join(root, "node_modules", ".cache", "readme-flows");

/** A block with its package imports pointing at the sources. */
function runnable(block: string): string {
  return block
    .replaceAll('from "lazyscribe/flow"', `from ${JSON.stringify(join(root, "src/flow/index.ts"))}`)
    .replaceAll('from "lazyscribe"', `from ${JSON.stringify(join(root, "src/index.ts"))}`);
}

const blocks = flowBlocks();

describe("the README's Flows section", () => {
  it("has the blocks this test runs", () => {
    expect(blocks.length).toBe(5);
  });

  it("type-checks every block as printed", () => {
    mkdirSync(dir, { recursive: true });
    const files = blocks.map((block, i) => {
      const file = join(dir, `check-${i}.mts`);
      writeFileSync(file, `${block}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2023.d.ts"],
      types: ["node"],
      typeRoots: [join(root, "node_modules/@types")],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      baseUrl: root,
      paths: { "lazyscribe/flow": ["src/flow/index.ts"], lazyscribe: ["src/index.ts"] },
      allowImportingTsExtensions: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(d.file.fileName))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  }, 60_000);

  blocks.forEach((block, i) => {
    it(`runs block ${i + 1} as a script`, async () => {
      mkdirSync(dir, { recursive: true });
      const source = join(dir, `run-${i}.mts`);
      writeFileSync(source, runnable(block));
      // Compiled ahead with esbuild (what tsx does on the fly, without its half-second start),
      // the sources it imports included; packages (rxjs) still load from node_modules.
      const file = join(dir, `run-${i}.mjs`);
      await build({
        entryPoints: [source],
        outfile: file,
        bundle: true,
        packages: "external",
        platform: "node",
        format: "esm",
        target: "node20",
        logLevel: "error",
      });
      const cwd = mkdtempSync(join(tmpdir(), "lazyscribe-readme-"));
      const child = spawnSync(process.execPath, [file], {
        cwd,
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(child.stderr).toBe("");
      expect(child.status).toBe(0);
    }, 40_000);
  });
});
