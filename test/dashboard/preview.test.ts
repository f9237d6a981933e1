import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type Dashboard, serveDashboard } from "../../src/dashboard/index.js";
import { readSummaryPreview, recordTexts } from "../../src/dashboard/summaryPreview.js";
import { tempDir } from "../helpers/fixtures.js";
import { getJson, raw } from "./http.js";
import { PYTHON_TEXT, pythonFile, RECORDS } from "./pythonLayout.js";
import { type CompactRows, summaryRows } from "./summaryRows.js";

const SLUGS = Array.from(
  { length: 40 },
  (_, i) => `experiment-${i}-202401010000${`${i}`.padStart(2, "0")}`,
);

interface Summary extends CompactRows {
  size: number;
  revision: number;
  preview?: { estimated_size: number };
}

let dashboard: Dashboard | undefined;
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});

function fileOf(text: string): string {
  const fpath = join(tempDir(), "project.json");
  writeFileSync(fpath, text);
  return fpath;
}

async function serve(text: string): Promise<number> {
  dashboard = await serveDashboard({ file: fileOf(text), watch: false });
  return dashboard.port;
}

describe("the summary's preview", () => {
  it("gives the newest records of a file in Python's layout, as the full summary has them", async () => {
    const port = await serve(PYTHON_TEXT);
    const preview = await getJson<Summary>(port, "/api/summary?preview=3");
    const full = await getJson<Summary>(port, "/api/summary");
    expect(preview.preview).toEqual({ estimated_size: 40 });
    expect(preview.size).toBe(3);
    expect(preview.revision).toBe(0);
    expect(summaryRows(preview).map((row) => row.slug)).toEqual(SLUGS.slice(-3));
    expect(summaryRows(preview)).toEqual(summaryRows(full).slice(-3));
    // Compact: each row an array of 13 fields, indexing the preview's own names.
    expect((preview.experiments ?? []).every((r) => Array.isArray(r) && r.length === 13)).toBe(
      true,
    );
    expect(preview.names?.metrics).toHaveLength(20);
    expect(full.preview).toBeUndefined();
  });

  it("gives the oldest records when asked, and all of a smaller file", async () => {
    const port = await serve(PYTHON_TEXT);
    const oldest = await getJson<Summary>(port, "/api/summary?preview=2&end=oldest");
    expect(summaryRows(oldest).map((row) => row.slug)).toEqual(SLUGS.slice(0, 2));
    const all = await getJson<Summary>(port, "/api/summary?preview=100");
    expect(summaryRows(all).map((row) => row.slug)).toEqual(SLUGS);
  });

  it("splits the fixture into its 40 records", () => {
    expect(RECORDS).toHaveLength(40);
    expect(pythonFile(RECORDS)).toBe(PYTHON_TEXT);
  });

  it("splits any tail into a suffix of the records, and any head into a prefix", () => {
    const files = fc.array(fc.integer({ min: 0, max: 39 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(files, fc.double({ min: 0, max: 1, noNaN: true }), (picks, at) => {
        const records = picks.map((i) => RECORDS[i] as string);
        const text = pythonFile(records);
        const cut = Math.floor(at * text.length);
        // A tail holds at least the file's closing marks (a preview reads 1 MiB or the file).
        const from = Math.min(cut, text.length - "\n    }\n]".length);
        const tail = recordTexts(text.slice(from), from === 0, true);
        expect(tail).toEqual(records.slice(records.length - (tail?.length ?? 0)));
        const head = recordTexts(text.slice(0, cut), true, cut === text.length);
        if (cut < "[\n    {".length) expect(head).toBeUndefined();
        else expect(head).toEqual(records.slice(0, head?.length ?? 0));
      }),
    );
  });

  it("reads a large file's tail only, cut at a record's start, and estimates its size", async () => {
    // 2,000 records (about 5.6 MB); the last three are the fixture's last three.
    const records = Array.from({ length: 50 }, () => RECORDS).flat();
    const fpath = fileOf(pythonFile(records));
    const preview = await readSummaryPreview(fpath, 3, "newest");
    const whole = await readSummaryPreview(join(fileOf(PYTHON_TEXT)), 40, "newest");
    expect(preview?.rows).toEqual(whole?.rows.slice(-3));
    expect(preview?.estimatedSize).toBeGreaterThan(1900);
    expect(preview?.estimatedSize).toBeLessThan(2100);
    // More than the first megabyte holds: read again, twice as much.
    const many = await readSummaryPreview(fpath, 700, "newest");
    expect(many?.rows).toHaveLength(700);
    expect(many?.rows.slice(-40)).toEqual(whole?.rows);
  });

  it("is refused for a file not in Python's layout; the full summary comes as before", async () => {
    const records = JSON.parse(PYTHON_TEXT.replaceAll("NaN", "null"));
    for (const text of [JSON.stringify(records), JSON.stringify(records, null, 2)]) {
      const port = await serve(text);
      const response = await raw(port, "/api/summary?preview=3");
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body)).toEqual({ error: "no preview of this project" });
      const full = await getJson<Summary>(port, "/api/summary");
      expect(summaryRows(full).map((row) => row.slug)).toEqual(SLUGS);
      await dashboard?.close();
      dashboard = undefined;
    }
  });

  it("is refused when a record of the tail does not validate (the full read says why)", async () => {
    const bad = [...RECORDS];
    bad[39] = (bad[39] as string).replace('"author": "bench"', '"author": 7');
    const port = await serve(pythonFile(bad));
    expect((await raw(port, "/api/summary?preview=3")).status).toBe(404);
    const full = await getJson<{ error: string }>(port, "/api/summary");
    expect(full.error).toContain("author");
  });

  it("wants a count and an end", async () => {
    const port = await serve(PYTHON_TEXT);
    for (const query of ["preview=0", "preview=x", "preview=3&end=middle"]) {
      expect((await raw(port, `/api/summary?${query}`)).status).toBe(400);
    }
  });
});
