import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lastValueFrom, Subject } from "rxjs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type Dashboard, serveDashboard } from "../../src/dashboard/index.js";
import { Flow, LazyProject, task } from "../../src/flow/index.js";
import { Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { RED_PNG, saveArtifactProject } from "./artifactProject.js";
import { getJson, raw } from "./http.js";

/** The file named `fname` somewhere under `dir`. */
function findFile(dir: string, fname: string): string {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === fname) return join(entry.parentPath, entry.name);
  }
  throw new Error(`no ${fname} under ${dir}`);
}

describe("experiment routes: artifacts and metric histories", () => {
  let dir: string;
  let dashboard: Dashboard;
  let slug: string;

  beforeAll(async () => {
    dir = tempDir();
    const fpath = await saveArtifactProject(dir);
    const project = await Project.open(fpath, { mode: "r" });
    slug = project.experiments[1]?.slug as string;
    dashboard = await serveDashboard({ project, watch: false });
  });
  afterAll(() => dashboard.close());

  it("lists the experiment's and its tests' artifacts with handler, file and size", async () => {
    const body = await getJson<{ artifacts: Record<string, unknown>[] }>(
      dashboard.port,
      `/api/experiments/${slug}/artifacts`,
    );
    const size = (fname: string) => readFileSync(findFile(dir, fname)).byteLength;
    expect(
      body.artifacts.map((a) => [a.name, a.handler, a.fname, a.test, a.size, a.type, a.error]),
    ).toEqual([
      [
        "config",
        "json",
        "config.json",
        null,
        size("config.json"),
        "application/json; charset=utf-8",
        null,
      ],
      ["plot", "png", "plot.png", null, RED_PNG.byteLength, "image/png", null],
      [
        "predictions",
        "json",
        "predictions.json",
        "Holdout",
        size("predictions.json"),
        "application/json; charset=utf-8",
        null,
      ],
    ]);
  });

  it("serves an artifact's bytes, as a download", async () => {
    const png = await fetch(`${dashboard.url}api/experiments/${slug}/artifacts/plot`);
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''plot.png");
    expect(png.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(Buffer.from(await png.arrayBuffer())).toEqual(RED_PNG);
    const json = await fetch(
      `${dashboard.url}api/experiments/${slug}/tests/Holdout/artifacts/predictions`,
    );
    expect(await json.text()).toBe(readFileSync(findFile(dir, "predictions.json"), "utf8"));
    expect(JSON.parse(readFileSync(findFile(dir, "predictions.json"), "utf8"))).toEqual([1, 0, 1]);
  });

  it.each([
    ["a name no artifact has", "artifacts/nothing"],
    ["a path instead of a name", "artifacts/..%2F..%2Fproject.json"],
    ["a file name instead of a name", "artifacts/config.json"],
    ["a test that does not exist", "tests/Nope/artifacts/predictions"],
    ["an experiment's artifact asked of a test", "tests/Holdout/artifacts/config"],
  ])("answers 404 for %s", async (_what, rest) => {
    const response = await raw(dashboard.port, `/api/experiments/${slug}/${rest}`);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('"lr"');
  });

  it("answers 404 for the artifacts of an unknown experiment", async () => {
    expect((await raw(dashboard.port, "/api/experiments/nobody/artifacts/config")).status).toBe(
      404,
    );
  });

  it("gives a list metric's values as its history, and a number as one point", async () => {
    expect(await getJson(dashboard.port, `/api/experiments/${slug}/metrics/loss/history`)).toEqual({
      slug,
      name: "loss",
      source: "last",
      points: [
        { step: 0, value: 0.9, time: null },
        { step: 1, value: 0.5, time: null },
        { step: 2, value: 0.3, time: null },
      ],
    });
    const accuracy = await getJson<{ points: unknown[] }>(
      dashboard.port,
      `/api/experiments/${slug}/metrics/accuracy/history`,
    );
    expect(accuracy.points).toEqual([{ step: 0, value: 0.86, time: null }]);
    expect(
      (await raw(dashboard.port, `/api/experiments/${slug}/metrics/nope/history`)).status,
    ).toBe(404);
  });
});

describe("a metric's history route", () => {
  it("gives values streamed in this process, with their steps, while the experiment runs", async () => {
    const project = await Project.open("memory://history/project.json", { mode: "w" });
    const dashboard = await serveDashboard({ project });
    try {
      let finish: () => void = () => undefined;
      const done = project.log("Streaming", async (exp) => {
        for (const loss of [0.9, 0.5, 0.3]) exp.logMetric("loss", loss);
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
      });
      const live = await getJson<{ experiments: { slug: string }[] }>(dashboard.port, "/api/live");
      const slug = live.experiments[0]?.slug as string;
      expect(
        await getJson(dashboard.port, `/api/experiments/${slug}/metrics/loss/history`),
      ).toEqual({
        slug,
        name: "loss",
        source: "live",
        points: [
          { step: 0, value: 0.9, time: null },
          { step: 1, value: 0.5, time: null },
          { step: 2, value: 0.3, time: null },
        ],
      });
      finish();
      await done;
    } finally {
      await dashboard.close();
    }
  });

  it("uses the experiment's recorded history (metricHistory), saved and read back", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse("2026-01-01T00:00:00Z"));
    const writer = await Project.open("memory://recorded/project.json", { mode: "w" });
    const exp = writer.log("Recorded", (e) => {
      e.logMetric("loss", 0.7, { step: 10 });
      vi.setSystemTime(Date.parse("2026-01-01T00:01:00Z"));
      e.logMetric("loss", 0.2, { step: 20 });
    });
    vi.useRealTimers();
    await writer.save();
    const project = await Project.open("memory://recorded/project.json", { mode: "r" });
    const dashboard = await serveDashboard({ project });
    try {
      expect(
        await getJson(dashboard.port, `/api/experiments/${exp.slug}/metrics/loss/history`),
      ).toEqual({
        slug: exp.slug,
        name: "loss",
        source: "history",
        points: [
          { step: 10, value: 0.7, time: Date.parse("2026-01-01T00:00:00Z") },
          { step: 20, value: 0.2, time: Date.parse("2026-01-01T00:01:00Z") },
        ],
      });
    } finally {
      await dashboard.close();
    }
  });
});

describe("a metric's history downsampled by the server", () => {
  const DOWNSAMPLE = new URL("../../src/dashboard/assets/js/downsample.js", import.meta.url).href;
  type Point = { step: number; value: number | null; time: number | null };
  type Body = { points: Point[]; total?: number; source: string };

  it("keeps at most ?points= points, those the page keeps, the spike and the ends; all without it", async () => {
    const writer = await Project.open("memory://downsampled/project.json", { mode: "w" });
    const exp = writer.log("Long", (e) => {
      for (let step = 0; step < 1000; step++) {
        e.logMetric("loss", step === 617 ? 9 : 1 / (1 + step) + ((step * 37) % 11) / 1000, {
          step: step * 2,
        });
      }
    });
    await writer.save();
    const project = await Project.open("memory://downsampled/project.json", { mode: "r" });
    const dashboard = await serveDashboard({ project });
    try {
      const url = `/api/experiments/${exp.slug}/metrics/loss/history`;
      const whole = await getJson<Body>(dashboard.port, url);
      expect(whole.points).toHaveLength(1000);
      expect(whole.total).toBeUndefined();

      const few = await getJson<Body>(dashboard.port, `${url}?points=42`);
      expect(few.source).toBe("history");
      expect(few.total).toBe(1000);
      expect(few.points.length).toBeLessThanOrEqual(42);
      expect(few.points.length).toBeGreaterThan(30);
      expect(few.points[0]).toEqual(whole.points[0]);
      expect(few.points.at(-1)).toEqual(whole.points.at(-1));
      expect(few.points).toContainEqual(whole.points[617]);
      // Exactly the points the page's own rule keeps for 20 buckets.
      const { downsample } = (await import(DOWNSAMPLE)) as {
        downsample(s: number[], v: (number | null)[], b: number): { steps: number[] };
      };
      const kept = downsample(
        whole.points.map((p) => p.step),
        whole.points.map((p) => p.value),
        20,
      );
      expect(few.points.map((p) => p.step)).toEqual(kept.steps);

      expect(await getJson<Body>(dashboard.port, `${url}?points=1000`)).toEqual(whole);
      for (const bad of ["3", "abc", "-5", "2.5", ""]) {
        const response = await raw(dashboard.port, `${url}?points=${bad}`);
        expect(response.status, bad).toBe(400);
        expect(JSON.parse(response.body)).toEqual({
          error: "points must be an integer of at least 4",
        });
      }
    } finally {
      await dashboard.close();
    }
  });
});

describe("experiments being logged by a tracked flow", () => {
  const open: Dashboard[] = [];
  afterEach(async () => {
    for (const d of open.splice(0)) await d.close();
  });

  it("knows a running experiment's author, parameters, tags and streamed metric, then a failure", async () => {
    const fpath = join(tempDir(), "project.json");
    const gate = new Subject<number>();
    const failNow = new Subject<void>();
    const flow = new Flow("Sweep", () => {
      const project = new LazyProject({ fpath, author: "grace" }).bind();
      const score = task("Wait for score", () => lastValueFrom(gate)).bind();
      const broken = task("Broken", async () => {
        await lastValueFrom(failNow, { defaultValue: undefined });
        throw new Error("diverged");
      }).bind();
      project.log("lr 0.1", (exp) => {
        exp.logParameter("lr", 0.1);
        exp.tag("sweep");
        exp.logMetric("score", score);
        exp.logMetric("loss", broken);
      });
      project.save();
    });
    const dashboard = await serveDashboard({ flow });
    open.push(dashboard);
    const done = lastValueFrom(dashboard.track(flow.run$()), { defaultValue: undefined });
    type Live = { experiments: Record<string, unknown>[] };
    const until = async (test: (live: Live) => boolean): Promise<Live> => {
      for (let i = 0; i < 200; i++) {
        const live = await getJson<Live>(dashboard.port, "/api/live");
        if (test(live)) return live;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error("the live experiments never got there");
    };
    const running = await until((l) => l.experiments[0]?.tags?.toString() === "sweep");
    expect(running.experiments).toEqual([
      expect.objectContaining({
        name: "lr 0.1",
        author: "grace",
        status: "running",
        error: null,
        parameters: { lr: 0.1 },
        tags: ["sweep"],
      }),
    ]);
    const slugOf = running.experiments[0]?.slug as string;
    expect(
      (await getJson<{ author: string }>(dashboard.port, `/api/experiments/${slugOf}`)).author,
    ).toBe("grace");
    gate.next(0.75);
    gate.complete();
    await until(
      (l) => (l.experiments[0]?.metrics as { score?: number } | undefined)?.score === 0.75,
    );
    failNow.complete();
    await done;
    const failed = await until((l) => l.experiments[0]?.status === "failed");
    expect(failed.experiments[0]).toMatchObject({
      status: "failed",
      error: 'Log experiment metric: not run, "Broken" failed (Error: diverged)',
      metrics: { score: 0.75 },
    });
  });
});
