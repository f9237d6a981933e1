import { join } from "node:path";
import { interval, lastValueFrom, map, Subject, take } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Dashboard,
  type DashboardTask,
  type DashboardTaskEvent,
  serveDashboard,
} from "../../src/dashboard/index.js";
import { Flow, LazyProject, task } from "../../src/flow/index.js";
import { Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { EventReader, getJson } from "./http.js";

/** A flow as the dashboard sees one: three tasks in a row. */
function fakeFlow() {
  const tasks: DashboardTask[] = [
    { name: "Open project" },
    { name: "<b>Score</b>" },
    { name: "Save project" },
  ];
  return {
    name: "Nightly",
    tasks,
    upstreamTasks: (task: DashboardTask) => {
      const i = tasks.indexOf(task);
      return i > 0 ? [tasks[i - 1] as DashboardTask] : [];
    },
    toMermaid: () => 'flowchart TD\n  t0["Open project"]\n',
  };
}

interface FlowBody {
  name: string;
  mermaid: string;
  status: string;
  nodes: {
    id: number;
    name: string;
    group: number | null;
    kind: string | null;
    key: string | null;
    test: string | null;
  }[];
  edges: [number, number][];
  tasks: { id: number; status: string; detail: string | null }[];
}

const open: (Dashboard | EventReader)[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

describe("dashboard flow view", () => {
  it("gives the flow's graph and the state of each task", async () => {
    const flow = fakeFlow();
    const dashboard = await serveDashboard({ flow });
    open.push(dashboard);
    const body = await getJson<FlowBody>(dashboard.port, "/api/flow");
    expect(body).toEqual({
      name: "Nightly",
      status: "idle",
      seq: 0,
      mermaid: flow.toMermaid(),
      nodes: ["Open project", "<b>Score</b>", "Save project"].map((name, id) => ({
        id,
        name,
        group: null,
        kind: null,
        key: null,
        test: null,
      })),
      edges: [
        [0, 1],
        [1, 2],
      ],
      tasks: [0, 1, 2].map((id) => ({ id, status: "pending", detail: null })),
    });
  });

  it("pushes each task's state while a tracked run goes, and the run's outcome", async () => {
    const flow = fakeFlow();
    const [open0, score, save] = flow.tasks as [DashboardTask, DashboardTask, DashboardTask];
    const dashboard = await serveDashboard({ flow });
    const events = await EventReader.open(dashboard.port);
    open.push(events, dashboard);
    const run$ = new Subject<DashboardTaskEvent>();
    const seen: string[] = [];
    dashboard.track(run$).subscribe((e) => seen.push(e.type));
    expect((await events.next<{ status: string }>("run")).data).toEqual({
      status: "running",
      seq: 1,
    });
    run$.next({ type: "started", task: open0 });
    run$.next({ type: "succeeded", task: open0, result: 1 });
    run$.next({ type: "started", task: score });
    run$.next({ type: "value", task: score, value: 0.93 });
    const value = await events.next<{ task: object }>(
      "task",
      (d) => "detail" in d.task && (d.task as { detail: unknown }).detail === "0.93",
    );
    expect(value.data).toEqual({
      task: { id: 1, status: "running", detail: "0.93" },
      finished: 1,
      run: "running",
      seq: 5, // the start, then the fourth task event
    });
    run$.next({ type: "failed", task: score, error: new Error("model diverged") });
    run$.next({ type: "not-run", task: save, upstream: score });
    run$.complete();
    expect((await events.next<{ status: string }>("run")).data).toEqual({
      status: "failed",
      seq: 8,
    });
    const body = await getJson<FlowBody & { seq: number }>(dashboard.port, "/api/flow");
    expect(body.status).toBe("failed");
    expect(body.seq).toBe(8);
    expect(body.tasks).toEqual([
      { id: 0, status: "succeeded", detail: "1" },
      { id: 1, status: "failed", detail: "Error: model diverged" },
      { id: 2, status: "not-run", detail: 'not run: "<b>Score</b>" failed' },
    ]);
    expect(seen).toEqual(["started", "succeeded", "started", "value", "failed", "not-run"]);
  });

  it("shows the project a tracked run opens, and streams its metrics", async () => {
    const flow = fakeFlow();
    const dashboard = await serveDashboard({ flow });
    const events = await EventReader.open(dashboard.port);
    open.push(events, dashboard);
    const run$ = new Subject<DashboardTaskEvent>();
    dashboard.track(run$).subscribe();
    const project = await Project.open("memory://dashboard-flow/project.json", {
      mode: "w",
      author: "flow",
    });
    run$.next({ type: "succeeded", task: flow.tasks[0] as DashboardTask, result: project });
    await events.next("project");
    const appended = project.log("From the flow", async (exp) => {
      exp.logMetric("loss", 0.5);
      await events.next("live");
    });
    await appended;
    const live = events.events.find((e) => e.event === "live")?.data as object[];
    expect(live[0]).toMatchObject({ experiment: "From the flow", value: 0.5 });
    await events.next("project");
    const body = await getJson<{ fpath: string; experiments: { name: string }[] }>(
      dashboard.port,
      "/api/project",
    );
    expect(body.fpath).toBe("memory://dashboard-flow/project.json");
    expect(body.experiments.map((e) => e.name)).toEqual(["From the flow"]);
  });

  it("follows a real flow: its graph, its tasks, its project and its streamed metrics", async () => {
    const fpath = join(tempDir(), "project.json");
    const flow = new Flow("Real", () => {
      const project = new LazyProject({ fpath, author: "flow" }).bind();
      const score = task("Score model", () => 0.93).bind();
      project.log("Trained", (exp) => {
        exp.logMetric("score", score);
        const losses = [0.9, 0.5, 0.25];
        exp.logMetric(
          "loss",
          interval(2).pipe(
            take(3),
            map((i) => losses[i] as number),
          ),
        );
      });
      project.save();
    });
    const dashboard = await serveDashboard({ flow });
    const events = await EventReader.open(dashboard.port);
    open.push(events, dashboard);
    await lastValueFrom(dashboard.track(flow.run$()));
    const body = await getJson<FlowBody>(dashboard.port, "/api/flow");
    expect(body.status).toBe("succeeded");
    expect(body.nodes.map((n) => n.name)).toEqual(flow.tasks.map((t) => t.name));
    expect(body.tasks.every((t) => t.status === "succeeded")).toBe(true);
    expect(body.mermaid).toBe(flow.toMermaid());
    const project = await getJson<{ fpath: string; experiments: { name: string }[] }>(
      dashboard.port,
      "/api/project",
    );
    expect(project.fpath).toBe(fpath);
    expect(project.experiments.map((e) => e.name)).toEqual(["Trained"]);
    const live = await getJson<{
      series: Record<string, { loss: { steps: number[]; values: number[] } }>;
      experiments: unknown[];
    }>(dashboard.port, "/api/live");
    expect(Object.values(live.series).map((s) => s.loss)).toEqual([
      { steps: [0, 1, 2], values: [0.9, 0.5, 0.25] },
    ]);
    expect(live.experiments).toEqual([]); // appended: the project has it now
    const trained = flow.tasks.findIndex((t) => t.name === "Trained");
    expect(
      body.nodes.filter((n) => n.group === trained).map((n) => [n.name, n.kind, n.key]),
    ).toEqual([
      ["Trained", null, null],
      ["Log experiment metric", "metric", "score"],
      ["Log experiment metric", "metric", "loss"],
      ["Append experiment", null, null],
    ]);
    expect(body.nodes.filter((n) => n.group === null).map((n) => n.name)).toEqual([
      "Open project",
      "Score model",
      "Save project",
    ]);
  });
});
