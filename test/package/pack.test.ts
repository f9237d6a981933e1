/**
 * The package as a user gets it: `npm pack` of a fresh copy of the sources (no dist/ built
 * beforehand), installed offline into an empty consumer project, type-checked there under
 * strict `tsc` (module NodeNext), then run: a script that logs, saves and reopens a project
 * and serves its dashboard, and the `lazyscribe` bin (`--help`, `--version`, `run`).
 *
 * Offline: the consumer's dependencies are copies of the packages this repository already has
 * in node_modules (copies, not links: npm prunes what it does not need and must never reach
 * into this repository's node_modules), and `npm install --offline` adds the tarball.
 */
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/fixtures.js";

const ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";
const run = promisify(execFile);
/** Time allowed for a step that runs npm, tsc or node: minutes when the machine is busy. */
const SLOW = 120_000;

interface PackageJson {
  name: string;
  version: string;
  exports?: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** What `npm pack --json` says of the tarball. */
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; mode: number }[];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

/** This process's environment without what `npm test` adds (npm_config_*, npm_package_*...). */
const OWN_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
);

/** Runs a command to its end; a non-zero exit fails with its output. */
async function sh(cwd: string, file: string, args: readonly string[]) {
  try {
    return await run(file, [...args], {
      cwd,
      encoding: "utf8",
      env: {
        ...OWN_ENV,
        NO_COLOR: "1",
        npm_config_audit: "false",
        npm_config_fund: "false",
        npm_config_update_notifier: "false",
      },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

/** A copy of the tracked (and new, not ignored) files of this repository: a fresh clone. */
async function freshCopy(): Promise<string> {
  const copy = tempDir("lazyscribe-clone-");
  const { stdout } = await sh(ROOT, "git", [
    "ls-files",
    "-z",
    "--cached",
    "--others",
    "--exclude-standard",
  ]);
  for (const file of stdout.split("\0")) {
    if (file === "" || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  return copy;
}

/** The folder Node would load `name` from when `from` (a package folder) imports it. */
function locate(name: string, from: string): string | undefined {
  for (let dir = from; dir.startsWith(ROOT); dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
  }
  return undefined;
}

/** The packages `pkg` needs installed: dependencies, present optional ones, required peers. */
function needs(pkg: PackageJson): { name: string; required: boolean }[] {
  const optionalPeer = (name: string) => pkg.peerDependenciesMeta?.[name]?.optional === true;
  return [
    ...Object.keys(pkg.dependencies ?? {}).map((name) => ({ name, required: true })),
    ...Object.keys(pkg.optionalDependencies ?? {}).map((name) => ({ name, required: false })),
    ...Object.keys(pkg.peerDependencies ?? {})
      .filter((name) => !optionalPeer(name))
      .map((name) => ({ name, required: true })),
  ];
}

/**
 * Copies into `modules` the top-level folders of this repository's node_modules that `roots`
 * (package names, resolved from the root) need, transitively; nested node_modules come along.
 */
function copyDependencies(roots: readonly string[], pkg: PackageJson, modules: string): void {
  const seen = new Set<string>();
  const visit = (name: string, from: string, required: boolean) => {
    const found = locate(name, from);
    if (found === undefined) {
      if (required) throw new Error(`${name} (needed from ${from}) is not installed in ${ROOT}`);
      return;
    }
    if (seen.has(found)) return;
    seen.add(found);
    const top = join(ROOT, "node_modules", name);
    if (found === top) cpSync(top, join(modules, name), { recursive: true, dereference: true });
    for (const need of needs(readJson<PackageJson>(join(found, "package.json")))) {
      visit(need.name, found, need.required);
    }
  };
  for (const need of needs(pkg)) visit(need.name, ROOT, need.required);
  for (const name of roots) visit(name, ROOT, true);
}

/** The bytes and files under `dir`. */
async function diskUsage(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
    files++;
  }
  return { bytes, files };
}

const CONSUMER_MAIN = `
import { createRequire } from "node:module";
import { type Experiment, Project } from "lazyscribe";
import { type Dashboard, serveDashboard } from "lazyscribe/dashboard";
import { Flow } from "lazyscribe/flow";

const fpath = process.argv[2];
if (fpath === undefined) throw new Error("usage: main.js <project file>");

const project = await Project.open(fpath, { mode: "w", author: "consumer" });
await project.log("Packed run", (exp: Experiment) => {
  exp.logMetric("auroc", 0.75);
  exp.logParameter("depth", 3);
  exp.tag(["packed"]);
});
await project.save();

const reopened = await Project.open(fpath, { mode: "r" });
const records = [...reopened].map(({ name, author, metrics, parameters, tags }) => ({
  name,
  author,
  metrics,
  parameters,
  tags,
}));
const dashboard: Dashboard = await serveDashboard({ project: reopened, port: 0 });
const page = await (await fetch(dashboard.url)).text();
const api = (await (await fetch(dashboard.url + "api/project")).json()) as {
  experiments: { name: string }[];
};
await dashboard.close();

const pkg = createRequire(import.meta.url)("lazyscribe/package.json") as { name: string };
console.log(
  JSON.stringify({
    records,
    dashboard: { page, experiments: api.experiments.map((e) => e.name) },
    flowIsAClass: typeof Flow === "function",
    packageName: pkg.name,
  }),
);
`;

const CONSUMER_FLOW = `
import { Flow, task } from "lazyscribe/flow";

/** A one-task flow for \`lazyscribe run\`. */
export const flow = new Flow("Packed flow", () => {
  task("Answer", () => 42).bind();
});
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    strict: true,
    module: "NodeNext",
    moduleResolution: "NodeNext",
    target: "ES2022",
    lib: ["ES2023", "DOM"],
    types: ["node"],
    skipLibCheck: false,
    outDir: "out",
    rootDir: "src",
  },
  include: ["src"],
};

describe("the packed package, installed in an empty project", () => {
  const pkg = readJson<PackageJson>(join(ROOT, "package.json"));
  const work = tempDir("lazyscribe-pack-");
  const consumer = join(work, "consumer");
  const tarball: Partial<PackResult> & { files: PackResult["files"] } = { files: [] };

  beforeAll(async () => {
    const clone = await freshCopy();
    // The copy uses this repository's tools (tsc for the prepack build); packing only reads them.
    symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"), "dir");
    // Packing (a tsc build) runs in its own process while the consumer is laid out here.
    const packing = sh(clone, NPM, ["pack", "--json", "--pack-destination", work]);
    packing.catch(() => undefined);

    mkdirSync(join(consumer, "src"), { recursive: true });
    const typesNode = readJson<PackageJson>(join(ROOT, "node_modules/@types/node/package.json"));
    writeFileSync(
      join(consumer, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        type: "module",
        devDependencies: { "@types/node": typesNode.version },
      }),
    );
    // lazyscribe's dependencies and required peers (rxjs) are in place before the install, as
    // npm would place them. Declaring the peer in the consumer too makes an offline npm fail
    // (ERESOLVE, "rxjs@undefined": it wants the registry's manifest of it).
    copyDependencies(["@types/node"], pkg, join(consumer, "node_modules"));

    const { stdout } = await packing;
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf("["))) as PackResult[];
    Object.assign(tarball, packed);
    rmSync(clone, { recursive: true, force: true });
    await sh(consumer, NPM, [
      "install",
      "--offline",
      "--no-package-lock",
      "--ignore-scripts",
      join(work, String(tarball.filename)),
    ]);
  }, 3 * SLOW);

  afterAll(() => rm(work, { recursive: true, force: true }), 60_000);

  it("holds the built code, its types, the README and the LICENSE, and no source maps", () => {
    const paths = tarball.files.map((f) => f.path);
    expect(paths.filter((p) => !p.startsWith("dist/")).sort()).toEqual([
      "LICENSE",
      "README.md",
      "package.json",
    ]);
    expect(paths.filter((p) => p.endsWith(".map"))).toEqual([]);
    for (const target of Object.values(pkg.exports ?? {}).flatMap((t) =>
      typeof t === "string" ? [t] : Object.values(t),
    )) {
      expect(paths).toContain(target.replace(/^\.\//, ""));
    }
    expect(paths).toContain("dist/dashboard/assets/index.html");
    expect(paths).toContain("dist/slug/data/TEXT-UNIDECODE-LICENSE.txt");
    const bin = tarball.files.find((f) => f.path === pkg.bin?.lazyscribe?.replace(/^\.\//, ""));
    expect(bin?.mode.toString(8)).toBe("755");
    console.log(
      JSON.stringify({
        figure: "package",
        tarballBytes: tarball.size,
        unpackedBytes: tarball.unpackedSize,
        files: tarball.entryCount,
      }),
    );
  });

  it(
    "type-checks and runs a consumer that logs, saves and reopens a project",
    async () => {
      writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG));
      writeFileSync(join(consumer, "src/main.ts"), CONSUMER_MAIN);
      writeFileSync(join(consumer, "src/flow.ts"), CONSUMER_FLOW);
      await sh(consumer, process.execPath, [TSC, "-p", "tsconfig.json"]);

      const fpath = join(consumer, "project.json");
      const { stdout } = await sh(consumer, process.execPath, ["out/main.js", fpath]);
      expect(JSON.parse(stdout)).toEqual({
        records: [
          {
            name: "Packed run",
            author: "consumer",
            metrics: { auroc: 0.75 },
            parameters: { depth: 3 },
            tags: ["packed"],
          },
        ],
        dashboard: {
          page: readFileSync(join(ROOT, "src/dashboard/assets/index.html"), "utf8"),
          experiments: ["Packed run"],
        },
        flowIsAClass: true,
        packageName: "lazyscribe",
      });
      const [record] = JSON.parse(readFileSync(fpath, "utf8"));
      expect(record).toMatchObject({
        name: "Packed run",
        author: "consumer",
        metrics: { auroc: 0.75 },
      });
      // What installing lazyscribe costs: the consumer's node_modules but its own @types/node.
      const all = await diskUsage(join(consumer, "node_modules"));
      const typesNode = await diskUsage(join(consumer, "node_modules/@types/node"));
      console.log(
        JSON.stringify({
          figure: "install",
          bytes: all.bytes - typesNode.bytes,
          files: all.files - typesNode.files,
        }),
      );
    },
    SLOW,
  );

  it(
    "installs the lazyscribe command",
    async () => {
      // npm linked the bin: npx runs it, and never looks for a "lazyscribe" package elsewhere.
      expect(existsSync(join(consumer, "node_modules/.bin/lazyscribe"))).toBe(true);
      // Three independent runs of the bin, at the same time.
      const [help, version, flow] = await Promise.all([
        sh(consumer, NPX, ["--offline", "lazyscribe", "--help"]),
        sh(consumer, NPX, ["--offline", "lazyscribe", "--version"]),
        sh(consumer, NPX, ["--offline", "lazyscribe", "run", "out/flow.js"]),
      ]);
      expect(help.stderr).toBe("");
      expect(help.stdout).toMatch(/^Usage: lazyscribe \[options\] \[command\]\n/);
      for (const command of [
        "list",
        "show",
        "compare",
        "merge",
        "export",
        "repo",
        "run",
        "serve",
      ]) {
        expect(help.stdout).toMatch(new RegExp(`\\n  ${command} `));
      }
      expect(version.stdout).toBe(`${pkg.version}\n`);
      // A flow without experiments: a line per finished task, then the counts.
      expect(flow.stdout).toMatch(
        /^succeeded {2}Answer\nflow "Packed flow" succeeded in \d+\.\d\d s: tasks: 1 succeeded\n$/,
      );
    },
    SLOW,
  );
});
