import { execFile } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Dashboard, serveDashboard } from "../../src/dashboard/index.js";
import { Project } from "../../src/index.js";
import { fixture, tempDir } from "../helpers/fixtures.js";
import { EventReader, getJson } from "./http.js";
import { summaryRows } from "./summaryRows.js";

const APPEND = fileURLToPath(new URL("./appendExperiment.ts", import.meta.url));

/** Runs appendExperiment.ts in another process; resolves to when its save finished. */
function appendFromAnotherProcess(fpath: string, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", APPEND, fpath, name], (error, stdout) =>
      error === null ? resolve(Number(stdout.trim())) : reject(error),
    );
  });
}

interface Revision {
  readonly revision: number;
  readonly base: number;
  readonly error: string | null;
  readonly upserts?: { name: string }[];
  readonly rows?: unknown[];
  readonly names?: { metrics: string[]; parameters: string[] };
  readonly removed?: string[];
}

interface ProjectBody {
  readonly revision: number;
  readonly error: string | null;
  readonly experiments: { name: string; metrics: Record<string, unknown> }[];
}

const open: (Dashboard | EventReader)[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

async function start(fpath: string, mode: "r" | "a" = "r") {
  const project = await Project.open(fpath, { mode, author: "tester" });
  const dashboard = await serveDashboard({ project });
  const events = await EventReader.open(dashboard.port);
  open.push(events, dashboard);
  await events.firstRevision();
  return { project, dashboard, events };
}

function copyOfBasic(): string {
  const fpath = join(tempDir(), "project.json");
  copyFileSync(fixture("basic", "project.json"), fpath);
  return fpath;
}

describe("dashboard live updates", () => {
  it("greets a new event stream with the current revision", async () => {
    const { dashboard } = await start(copyOfBasic());
    const late = await EventReader.open(dashboard.port);
    open.push(late);
    const hello = await late.next<{ revision: number; flow: null }>("hello");
    const body = await getJson<ProjectBody>(dashboard.port, "/api/project");
    expect(hello.data).toEqual({ revision: 1, flow: null, loading: false });
    expect(body.revision).toBe(1);
  });

  it("announces an experiment saved by another process, with only its record", async () => {
    const fpath = copyOfBasic();
    const { dashboard, events } = await start(fpath);
    const before = await getJson<ProjectBody>(dashboard.port, "/api/project");
    await appendFromAnotherProcess(fpath, "From elsewhere");
    const change = await events.next<Revision>("project", (d) => d.revision > before.revision);
    expect({ ...change.data, rows: summaryRows(change.data), names: undefined }).toEqual({
      revision: before.revision + 1,
      base: before.revision,
      error: null,
      upserts: [expect.objectContaining({ name: "From elsewhere", author: "other-process" })],
      rows: [
        expect.objectContaining({
          name: "From elsewhere",
          author: "other-process",
          metrics: { auroc: 0.75 },
          other_metrics: [],
          parameters: {},
          tags: ["from-another-process"],
          tests: 0,
          artifacts: 0,
        }),
      ],
      removed: [],
    });
    const after = await getJson<ProjectBody>(dashboard.port, "/api/project");
    expect(after.revision).toBe(change.data.revision);
    expect(after.experiments.map((e) => e.name)).toEqual([
      "My experiment",
      "Second run",
      "From elsewhere",
    ]);
  });

  it("streams the metrics of an experiment while it is being logged", async () => {
    const fpath = copyOfBasic();
    const { project, dashboard, events } = await start(fpath, "a");
    await project.log("Training", async (exp) => {
      exp.logMetric("loss", 0.9);
      await events.next<{ name: string }[]>("live", (batch) =>
        batch.some((e) => e.name === "loss"),
      );
      exp.logMetric("loss", 0.4);
      await events.next<{ value: number }[]>("live", (batch) => batch.some((e) => e.value === 0.4));
    });
    const live = events.events.filter((e) => e.event === "live").flatMap((e) => e.data as object[]);
    expect(live).toEqual([
      expect.objectContaining({
        type: "metric-logged",
        experiment: "Training",
        name: "loss",
        value: 0.9,
      }),
      expect.objectContaining({
        type: "metric-logged",
        experiment: "Training",
        name: "loss",
        value: 0.4,
      }),
    ]);
    await events.next("project");
    const body = await getJson<ProjectBody>(dashboard.port, "/api/project");
    expect(body.experiments.at(-1)).toMatchObject({ name: "Training", metrics: { loss: 0.4 } });
    const slug = project.experiments.at(-1)?.slug as string;
    expect(await getJson(dashboard.port, "/api/live")).toEqual({
      seq: 2,
      series: { [slug]: { loss: { steps: [0, 1], values: [0.9, 0.4] } } },
      experiments: [],
    });
  });

  it("shows experiments logged in this process before they are saved, and after", async () => {
    const fpath = copyOfBasic();
    const { project, dashboard, events } = await start(fpath, "a");
    project.log("Unsaved", (exp) => exp.logMetric("auroc", 0.6));
    await events.next("project");
    let body = await getJson<ProjectBody>(dashboard.port, "/api/project");
    expect(body.experiments.map((e) => e.name)).toContain("Unsaved");
    await project.save();
    // The saved record is the one already shown: only the next change is announced.
    await appendFromAnotherProcess(fpath, "After save");
    const change = await events.next<Revision>("project", (d) => d.revision > body.revision);
    expect(change.data.revision).toBe(body.revision + 1);
    expect(change.data.upserts?.map((e) => e.name)).toEqual(["After save"]);
    expect(change.data.removed).toEqual([]);
    body = await getJson<ProjectBody>(dashboard.port, "/api/project");
    expect(body.experiments.map((e) => e.name)).toEqual([
      "My experiment",
      "Second run",
      "Unsaved",
      "After save",
    ]);
  });

  it("orders an experiment of this process by the times its record holds, as the file does", async () => {
    const fpath = copyOfBasic();
    const { project, dashboard, events } = await start(fpath, "a");
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // Two experiments created in the same second, this process's one later in it: the file
      // holds both at that second, in the order they were saved.
      vi.setSystemTime(new Date("2026-12-03T10:00:00.900Z"));
      project.log("Mine", (exp) => exp.logMetric("auroc", 0.6));
      await project.save();
      vi.setSystemTime(new Date("2026-12-03T10:00:00.100Z"));
      const other = await Project.open(fpath, { mode: "a", author: "other" });
      other.log("Theirs", (exp) => exp.logMetric("auroc", 0.7));
      await other.save();
    } finally {
      vi.useRealTimers();
    }
    await events.next<Revision>(
      "project",
      (d) => d.upserts?.some((e) => e.name === "Theirs") ?? true,
    );
    const body = await getJson<ProjectBody>(dashboard.port, "/api/project");
    const inFile = (await Project.open(fpath, { mode: "r" })).experiments.map((e) => e.name);
    expect(inFile.slice(-2)).toEqual(["Mine", "Theirs"]);
    expect(body.experiments.map((e) => e.name)).toEqual(inFile);
  });

  it("keeps the last good records when the file becomes unreadable, and says why", async () => {
    const fpath = copyOfBasic();
    const { dashboard, events } = await start(fpath);
    writeFileSync(fpath, "[{ this is not json");
    const change = await events.next<{ error: string | null }>("project", (d) => d.error !== null);
    expect(change.data.error).toContain(fpath);
    const body = await getJson<ProjectBody>(dashboard.port, "/api/project");
    expect(body.error).toContain(fpath);
    expect(body.experiments).toHaveLength(2);
    copyFileSync(fixture("basic", "project.json"), fpath);
    await events.next<{ error: string | null }>("project", (d) => d.error === null);
  });

  it("says nothing of a file read half-written while its undo journal stands beside it (an in-place save under way), and reads it again", async () => {
    const fpath = copyOfBasic();
    const { dashboard, events } = await start(fpath);
    const journal = join(dirname(fpath), `.${basename(fpath)}.journal`);
    writeFileSync(journal, "lazyscribe-journal 1 {}\n");
    const longer = copyOfBasic();
    const grown = await Project.open(longer, { mode: "a", author: "tester" });
    grown.log("Third", (exp) => exp.logMetric("score", 0.5));
    await grown.save();
    const whole = readFileSync(longer, "utf8");
    writeFileSync(fpath, whole.slice(0, whole.length >> 1));
    // Several reads of the half-written file are retried meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 400));
    writeFileSync(fpath, whole);
    rmSync(journal);
    const change = await events.next<{ error: string | null; upserts?: { name: string }[] }>(
      "project",
      (d) => d.error !== null || (d.upserts?.some((e) => e.name === "Third") ?? false),
    );
    expect(change.data.error).toBeNull();
    const body = await getJson<ProjectBody>(dashboard.port, "/api/project");
    expect(body.error).toBeNull();
    expect(body.experiments.map((e) => e.name)).toEqual(
      (await Project.open(fpath, { mode: "r" })).experiments.map((e) => e.name),
    );
  });
});
