// Copies the files the compiled code ships with into dist/: the dashboard's static assets
// (HTML, JS, CSS) and the licence of the transliteration table in src/slug/data/.
import { cpSync } from "node:fs";

cpSync(
  new URL("../src/dashboard/assets/", import.meta.url),
  new URL("../dist/dashboard/assets/", import.meta.url),
  {
    recursive: true,
  },
);
cpSync(
  new URL("../src/slug/data/TEXT-UNIDECODE-LICENSE.txt", import.meta.url),
  new URL("../dist/slug/data/TEXT-UNIDECODE-LICENSE.txt", import.meta.url),
);
