// Builds the package into dist/ from nothing: the compiled code and its type declarations
// (tsconfig.build.json), the dashboard's static assets and the slug table's licence beside
// them, and an executable bin.
// Run by `npm run build` and by `npm pack` / `npm publish` (the `prepack` script).
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const dist = new URL("../dist/", import.meta.url);

// A clean start: a module removed from src/ must not linger in the package.
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
cpSync(new URL("../src/dashboard/assets/", import.meta.url), new URL("dashboard/assets/", dist), {
  recursive: true,
});
// The licence of the transliteration table compiled from src/slug/data/textUnidecode.ts.
cpSync(
  new URL("../src/slug/data/TEXT-UNIDECODE-LICENSE.txt", import.meta.url),
  new URL("slug/data/TEXT-UNIDECODE-LICENSE.txt", dist),
);
chmodSync(new URL("cli/main.js", dist), 0o755);
