/**
 * Runs every benchmark and prints its figures as JSON lines. `npm run bench -- 10000 100000`
 * passes the sizes on.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const sizes = process.argv.slice(2);
for (const name of [
  "core.ts",
  "history.ts",
  "pyjson.ts",
  "flow.ts",
  "artifacts.ts",
  "storage.ts",
  "cli.ts",
]) {
  const script = fileURLToPath(new URL(name, import.meta.url));
  if (!existsSync(script)) continue;
  execFileSync(process.execPath, ["--import", "tsx", script, ...sizes], { stdio: "inherit" });
}
