import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DiskRecords } from "../../src/dashboard/diskRecords.js";
import { type Dashboard, serveDashboard } from "../../src/dashboard/index.js";
import { ProjectView } from "../../src/dashboard/projectView.js";
import {
  dumpProjectRecord,
  joinProjectRecords,
  readPyJson,
  splitProjectRecords,
} from "../../src/format/pyjson/index.js";
import { fixtureText, tempDir } from "../helpers/fixtures.js";
import { EventReader, getJson, raw } from "./http.js";
import { summaryRows } from "./summaryRows.js";

const BASE = splitProjectRecords(fixtureText("basic", "project.json")) as string[];
type Json = Record<string, unknown>;
const value = (text: string) => readPyJson(text).value as Json;

/** Replaces the file as a save does: a new file renamed over the old one. */
function save(fpath: string, text: string): void {
  writeFileSync(`${fpath}.tmp`, text);
  renameSync(`${fpath}.tmp`, fpath);
}

interface Revision {
  revision: number;
  base: number;
  error: string | null;
  upserts?: Json[];
  rows?: unknown[];
  names?: { metrics: string[]; parameters: string[] };
  removed?: string[];
}

interface Summary {
  fpath: string;
  revision: number;
  error: string | null;
  size: number;
  names: { metrics: string[]; parameters: string[] };
  experiments: unknown[];
}

const open: (Dashboard | EventReader)[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

async function serveFile(text: string | undefined) {
  const fpath = join(tempDir(), "project.json");
  if (text !== undefined) save(fpath, text);
  const dashboard = await serveDashboard({ file: fpath });
  open.push(dashboard);
  return { fpath, dashboard };
}

async function reader(port: number): Promise<EventReader> {
  const events = await EventReader.open(port);
  open.push(events);
  return events;
}

describe("a dashboard of a project file", () => {
  it("answers the summary and the records once the file is read", async () => {
    const { fpath, dashboard } = await serveFile(joinProjectRecords(BASE));
    const summary = await getJson<Summary>(dashboard.port, "/api/summary");
    expect(summary).toMatchObject({ fpath, revision: 1, error: null, size: 2 });
    // Compact: fields by position, metrics and parameters as (name's index, value) pairs.
    expect(summary.names).toEqual({
      metrics: ["auroc", "n_trees", "losses"],
      parameters: ["algorithm", "balanced", "seed"],
    });
    expect(summary.experiments[1]).toEqual([
      "second-run-20240302080000",
      "second-run",
      "Second run",
      "bob",
      "bob",
      "2024-03-02T08:00:00",
      "2024-03-02T08:00:00",
      [],
      0,
      0,
      [0, 0.9],
      [],
      [],
    ]);
    // Scalar metrics and parameters only: lists and objects are in the full record.
    expect(summaryRows(summary)).toEqual([
      {
        slug: "my-experiment-20240301101530",
        short_slug: "my-experiment",
        name: "My experiment",
        author: "alice",
        last_updated_by: "alice",
        created_at: "2024-03-01T10:15:30",
        last_updated: "2024-03-01T10:15:30",
        tags: ["baseline", "v1"],
        tests: 2,
        artifacts: 0,
        metrics: { auroc: 0.8731, n_trees: 200 },
        other_metrics: ["losses"],
        parameters: { algorithm: "lightgbm", balanced: true, seed: null },
      },
      {
        slug: "second-run-20240302080000",
        short_slug: "second-run",
        name: "Second run",
        author: "bob",
        last_updated_by: "bob",
        created_at: "2024-03-02T08:00:00",
        last_updated: "2024-03-02T08:00:00",
        tags: [],
        tests: 0,
        artifacts: 0,
        metrics: { auroc: 0.9 },
        other_metrics: [],
        parameters: {},
      },
    ]);
    const slug = value(BASE[1] as string).slug as string;
    const one = await getJson<Json>(dashboard.port, `/api/experiments/${slug}`);
    const all = await getJson<{ experiments: Json[] }>(dashboard.port, "/api/project");
    expect(one).toEqual(all.experiments[1]);
    expect(one.slug).toBe(slug);
  });

  it("reads a file that starts with a byte order mark, as the core does", async () => {
    const { dashboard } = await serveFile(`\uFEFF${joinProjectRecords(BASE)}`);
    const summary = await getJson<Summary>(dashboard.port, "/api/summary");
    expect(summary.error).toBeNull();
    expect(summaryRows(summary).map((row) => row.name)).toEqual(["My experiment", "Second run"]);
  });

  it("says when the file is missing, and shows it once it is written", async () => {
    const { fpath, dashboard } = await serveFile(undefined);
    const events = await reader(dashboard.port);
    expect(await getJson<Summary>(dashboard.port, "/api/summary")).toEqual({
      fpath,
      revision: 1,
      error: `no project file at ${fpath}`,
      size: 0,
      names: { metrics: [], parameters: [] },
      experiments: [],
    });
    save(fpath, joinProjectRecords(BASE));
    const change = await events.next<Revision>("project", (d) => d.revision === 2);
    expect(change.data.error).toBeNull();
    expect(change.data.upserts?.map((r) => r.name)).toEqual(["My experiment", "Second run"]);
  });

  it("sends every browser the same revisions in order; a file that does not read keeps the last records", async () => {
    const { fpath, dashboard } = await serveFile(joinProjectRecords(BASE));
    const first = await reader(dashboard.port);
    expect(await first.firstRevision()).toBe(1);
    const second = await reader(dashboard.port);
    expect(await second.firstRevision()).toBe(1);

    const added = dumpProjectRecord({
      ...value(BASE[1] as string),
      name: "Third run",
      short_slug: "third-run",
      slug: "third-run-20240501000000",
    });
    save(fpath, joinProjectRecords([...BASE, added]));
    await first.next<Revision>("project", (d) => d.revision === 2);
    const changed = dumpProjectRecord({ ...value(BASE[0] as string), tags: ["best"] });
    save(fpath, joinProjectRecords([changed, BASE[1] as string, added]));
    await first.next<Revision>("project", (d) => d.revision === 3);
    save(fpath, `${joinProjectRecords([changed, BASE[1] as string]).slice(0, -2)},\n    {`);
    await first.next<Revision>("project", (d) => d.revision === 4);
    const during = await getJson<Summary>(dashboard.port, "/api/summary");
    expect(during.error).toMatch(new RegExp(`^${fpath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
    expect(summaryRows(during).map((row) => row.name)).toEqual([
      "My experiment",
      "Second run",
      "Third run",
    ]);
    save(fpath, joinProjectRecords([changed, added]));
    await first.next<Revision>("project", (d) => d.revision === 5);
    await second.next<Revision>("project", (d) => d.revision === 5);

    const seen = (events: EventReader) =>
      events.events
        .filter((e) => e.event === "project")
        .map((e) => {
          const d = e.data as Revision;
          return [
            d.revision,
            d.base,
            d.error === null ? null : "error",
            d.upserts?.map((r) => [r.name, r.tags]),
            d.rows && summaryRows(d).map((r) => r.name),
            d.removed,
          ];
        });
    const expected = [
      [2, 1, null, [["Third run", value(added).tags]], ["Third run"], []],
      [3, 2, null, [["My experiment", ["best"]]], ["My experiment"], []],
      [4, 3, "error", [], [], []],
      [5, 4, null, [], [], [value(BASE[1] as string).slug]],
    ];
    expect(seen(first).filter(([revision]) => (revision as number) > 1)).toEqual(expected);
    expect(seen(second).filter(([revision]) => (revision as number) > 1)).toEqual(expected);
  });

  it("streams the project's records in pieces, as one JSON document", async () => {
    const many = Array.from({ length: 1203 }, (_, i) =>
      dumpProjectRecord({
        ...value(BASE[1] as string),
        name: `Run ${i}`,
        short_slug: `run-${i}`,
        slug: `run-${i}-20240501000000`,
      }),
    );
    const { dashboard } = await serveFile(joinProjectRecords(many));
    const response = await raw(dashboard.port, "/api/project");
    expect(response.headers["transfer-encoding"]).toBe("chunked");
    const body = JSON.parse(response.body) as { experiments: Json[] };
    expect(body.experiments.map((r) => r.name)).toEqual(many.map((t) => value(t).name));
    const summary = await getJson<Summary>(dashboard.port, "/api/summary");
    expect(summary.size).toBe(1203);
    expect(summaryRows(summary).map((r) => r.slug)).toEqual(many.map((t) => value(t).slug));
  });
});

describe("ProjectView while the file is read for the first time", () => {
  it("is loading, and resolves whenRead once the records are in and announced", async () => {
    const view = new ProjectView();
    const disk = new DiskRecords("project.json", view.names);
    view.setDisk(disk);
    expect(view.loading).toBe(true);
    let read = false;
    const waiting = view.whenRead().then(() => {
      read = true;
    });
    await disk.read(joinProjectRecords(BASE));
    await Promise.resolve();
    expect(read).toBe(false);
    view.diskChanged();
    expect(view.loading).toBe(false);
    await Promise.resolve();
    expect(read).toBe(false);
    view.readAnnounced();
    await waiting;
    expect(view.loading).toBe(false);
    expect(view.entries().map((e) => e.slug)).toEqual(BASE.map((t) => value(t).slug));
  });
});
