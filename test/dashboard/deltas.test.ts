import { describe, expect, it } from "vitest";
import { DiskRecords } from "../../src/dashboard/diskRecords.js";
import { toJson } from "../../src/dashboard/json.js";
import { MAX_DELTA, ProjectView } from "../../src/dashboard/projectView.js";
import {
  dumpProjectRecord,
  dumpsPyJson,
  joinProjectRecords,
  readPyJson,
  splitProjectRecords,
} from "../../src/format/pyjson/index.js";
import { fixtureText } from "../helpers/fixtures.js";
import { type CompactRows, summaryRows } from "./summaryRows.js";

/** The records' texts of the Python-written basic fixture (2 experiments). */
const BASE = splitProjectRecords(fixtureText("basic", "project.json")) as string[];

type Json = Record<string, unknown>;

function value(text: string): Json {
  return readPyJson(text).value as Json;
}

/** A record like the fixture's second, under another name and time. */
function madeRecord(name: string, second: number, metrics: Json = { auroc: 0.5 }): string {
  const slug = name.toLowerCase().replace(/ /g, "-");
  const ss = String(second).padStart(2, "0");
  const stamp = `2024-05-01T00:00:${ss}`;
  return dumpProjectRecord({
    ...value(BASE[1] as string),
    name,
    short_slug: slug,
    slug: `${slug}-202405010000${ss}`,
    created_at: stamp,
    last_updated: stamp,
    metrics,
  });
}

interface Announced {
  revision: number;
  base: number;
  error: string | null;
  upserts?: Json[];
  rows?: Json[];
  removed?: string[];
}

/** A revision with its compact rows made back into objects, as the page reads them. */
function expanded(change: Json & CompactRows): Announced {
  const { rows, names, ...rest } = change;
  const result = rows === undefined ? rest : { ...rest, rows: summaryRows({ rows, names }) };
  return result as unknown as Announced;
}

/** A view over a DiskRecords; `read(text)` reads a new version and announces it. */
function viewOf() {
  const view = new ProjectView();
  const disk = new DiskRecords("project.json", view.names);
  view.setDisk(disk);
  return {
    view,
    async read(text: string): Promise<{ parsed: number; layout: string; change?: Announced }> {
      const read = await disk.read(text);
      view.diskChanged();
      const json = view.announce();
      return { ...read, change: json === undefined ? undefined : expanded(JSON.parse(json)) };
    },
  };
}

/** The record and row the dashboard sends for a record's text. */
function sent(text: string): { record: Json; row: Json } {
  const record = JSON.parse(toJson(value(text))) as Json;
  const metrics = record.metrics as Json;
  const parameters = record.parameters as Json;
  const scalars = (values: Json) =>
    Object.fromEntries(
      Object.entries(values).filter(([, v]) => v === null || typeof v !== "object"),
    );
  return {
    record,
    row: {
      slug: record.slug,
      short_slug: record.short_slug,
      name: record.name,
      author: record.author,
      last_updated_by: record.last_updated_by,
      created_at: record.created_at,
      last_updated: record.last_updated,
      tags: record.tags,
      tests: (record.tests as unknown[]).length,
      artifacts: (record.artifacts as unknown[]).length,
      metrics: scalars(metrics),
      other_metrics: Object.keys(metrics).filter((k) => !(k in scalars(metrics))),
      parameters: scalars(parameters),
    },
  };
}

describe("the deltas of a project file read again", () => {
  it("sends everything first, then exactly the appended, changed and removed records", async () => {
    const { read } = viewOf();
    const first = await read(joinProjectRecords(BASE));
    expect(first).toEqual({
      layout: "python",
      parsed: 2,
      change: {
        revision: 1,
        base: 0,
        error: null,
        upserts: BASE.map((t) => sent(t).record),
        rows: BASE.map((t) => sent(t).row),
        removed: [],
      },
    });

    const added = madeRecord("Third run", 1);
    expect(await read(joinProjectRecords([...BASE, added]))).toEqual({
      layout: "python",
      parsed: 1,
      change: {
        revision: 2,
        base: 1,
        error: null,
        upserts: [sent(added).record],
        rows: [sent(added).row],
        removed: [],
      },
    });

    const changed = dumpProjectRecord({ ...value(BASE[0] as string), tags: ["best"] });
    expect(await read(joinProjectRecords([changed, BASE[1] as string, added]))).toEqual({
      layout: "python",
      parsed: 1,
      change: {
        revision: 3,
        base: 2,
        error: null,
        upserts: [sent(changed).record],
        rows: [sent(changed).row],
        removed: [],
      },
    });

    expect(await read(joinProjectRecords([changed, added]))).toEqual({
      layout: "python",
      parsed: 0,
      change: {
        revision: 4,
        base: 3,
        error: null,
        upserts: [],
        rows: [],
        removed: [value(BASE[1] as string).slug],
      },
    });

    expect(await read(joinProjectRecords([changed, added]))).toEqual({
      layout: "python",
      parsed: 0,
      change: undefined,
    });
  });

  it("sends rows compact, with every name their indexes stand for, the names only growing", async () => {
    const view = new ProjectView();
    const disk = new DiskRecords("project.json", view.names);
    view.setDisk(disk);
    const announce = async (texts: string[]) => {
      await disk.read(joinProjectRecords(texts));
      view.diskChanged();
      return JSON.parse(view.announce() ?? "null") as Json;
    };
    const first = await announce(BASE);
    expect(first.names).toEqual({
      metrics: ["auroc", "n_trees", "losses"],
      parameters: ["algorithm", "balanced", "seed"],
    });
    expect((first.rows as unknown[][]).map((row) => [row[10], row[11], row[12]])).toEqual([
      [[0, 0.8731, 1, 200], [2], [0, "lightgbm", 1, true, 2, null]],
      [[0, 0.9], [], []],
    ]);
    const added = madeRecord("New metric", 1, { f1: 0.25, auroc: 0.5 });
    const second = await announce([BASE[1] as string, added]);
    expect(second.names).toEqual({
      metrics: ["auroc", "n_trees", "losses", "f1"],
      parameters: ["algorithm", "balanced", "seed"],
    });
    expect((second.rows as unknown[][]).map((row) => row[10])).toEqual([[0, 0.5, 3, 0.25]]);
  });

  it("finds moved records by their text, and reads only new texts", async () => {
    const { read } = viewOf();
    const extra = [1, 2, 3].map((i) => madeRecord(`Run ${i}`, i));
    await read(joinProjectRecords([...BASE, ...extra]));
    const inserted = madeRecord("Run 0", 0);
    const result = await read(joinProjectRecords([...BASE, inserted, ...extra]));
    expect(result.parsed).toBe(1);
    expect(result.change?.upserts).toEqual([sent(inserted).record]);
    expect(result.change?.removed).toEqual([]);
  });

  it("compares records, not layouts, when the file is rewritten in another layout", async () => {
    const { read } = viewOf();
    const python = joinProjectRecords(BASE);
    await read(python);
    const all = readPyJson(python).value as Json[];
    expect(await read(dumpsPyJson(all))).toEqual({ layout: "whole", parsed: 2, change: undefined });

    const renamed = [{ ...all[0], name: "Renamed" }, all[1]];
    const result = await read(dumpsPyJson(renamed));
    expect(result.change?.upserts).toEqual([
      JSON.parse(toJson({ ...(readPyJson(python).value as Json[])[0], name: "Renamed" })),
    ]);
    expect(result.change?.removed).toEqual([]);

    expect((await read(joinProjectRecords(BASE))).change?.upserts).toEqual([
      sent(BASE[0] as string).record,
    ]);
  });

  it("sees no change in a record whose text only gains Python's defaults or reorders keys", async () => {
    const { read } = viewOf();
    const { last_updated_by: _, ...older } = value(BASE[0] as string);
    await read(joinProjectRecords([dumpProjectRecord(older), BASE[1] as string]));
    expect(await read(joinProjectRecords(BASE))).toEqual({
      layout: "python",
      parsed: 1,
      change: undefined,
    });
    const all = readPyJson(joinProjectRecords(BASE)).value as Json[];
    const reverse = (object: Json) => Object.fromEntries(Object.entries(object).reverse());
    const reordered = all.map((record) => ({
      ...reverse(record),
      metrics: reverse(record.metrics as Json),
    }));
    expect(await read(dumpsPyJson(reordered))).toEqual({
      layout: "whole",
      parsed: 2,
      change: undefined,
    });
  });

  it("keeps the last good records when a version does not read", async () => {
    const { read, view } = viewOf();
    await read(joinProjectRecords(BASE));
    await expect(read("[\n    {\n        broken")).rejects.toThrow(/^project\.json: /);
    expect(view.entries().map((e) => e.slug)).toEqual(BASE.map((t) => value(t).slug));
    const added = madeRecord("After the error", 9);
    const result = await read(joinProjectRecords([...BASE, added]));
    expect(result.parsed).toBe(1);
    expect(result.change?.upserts).toEqual([sent(added).record]);
  });

  it("sends no records past MAX_DELTA changes: browsers fetch the project", async () => {
    const { read } = viewOf();
    await read(joinProjectRecords(BASE));
    const many = Array.from({ length: MAX_DELTA + 1 }, (_, i) =>
      dumpProjectRecord({
        ...value(BASE[1] as string),
        name: `Run ${i}`,
        short_slug: `run-${i}`,
        slug: `run-${i}-20240501000000`,
      }),
    );
    const result = await read(joinProjectRecords([...BASE, ...many]));
    expect(result.change).toEqual({ revision: 2, base: 1, error: null });
  });
});
