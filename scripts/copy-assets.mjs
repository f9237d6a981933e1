// Copies the dashboard's static assets (HTML, JS, CSS) next to the compiled code in dist/.
import { cpSync } from "node:fs";

cpSync(
  new URL("../src/dashboard/assets/", import.meta.url),
  new URL("../dist/dashboard/assets/", import.meta.url),
  {
    recursive: true,
  },
);
