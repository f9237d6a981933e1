// The static checks of `npm test`, run at the same time rather than one after another: the
// type check (`npm run typecheck`), the lint (`npm run lint`) and the TypeDoc check
// (`npm run docs:check`). Each one's output is printed whole once it ends, under its name, so
// that outputs do not interleave; the script fails when any check fails.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
/** A tool's script in node_modules, run with this Node. */
const tool = (path) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));

const checks = [
  {
    name: "typecheck",
    args: [tool("typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit"],
  },
  { name: "lint", args: [tool("@biomejs/biome/bin/biome"), "check", "."] },
  { name: "docs:check", args: [tool("typedoc/bin/typedoc"), "--emit", "none"] },
];

/** Runs one check to its end and reports what it printed and how it ended. */
function run({ name, args }) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks = [];
  child.stdout.on("data", (chunk) => chunks.push(chunk));
  child.stderr.on("data", (chunk) => chunks.push(chunk));
  return new Promise((done) => {
    child.once("error", (error) => done({ name, ok: false, output: `${error.message}\n` }));
    child.once("close", (code, signal) =>
      done({
        name,
        ok: code === 0,
        ending: signal ?? `exit code ${code}`,
        seconds: (performance.now() - started) / 1000,
        output: Buffer.concat(chunks).toString("utf8"),
      }),
    );
  });
}

const results = await Promise.all(checks.map(run));
for (const { name, ok, ending, seconds, output } of results) {
  const verdict = ok ? "passed" : `FAILED (${ending})`;
  console.log(`> ${name}: ${verdict} in ${seconds?.toFixed(1) ?? "?"} s`);
  if (output.trim() !== "") console.log(output.trimEnd());
}
if (!results.every((r) => r.ok)) process.exitCode = 1;
