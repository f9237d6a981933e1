import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lastValueFrom, Subject, toArray } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import {
  Flow,
  LazyProject,
  projectEvents,
  type TaskRunEvent,
  type TaskValueEvent,
  task,
} from "../../src/flow/index.js";
import { MemoryStorage, Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

afterEach(() => MemoryStorage.clear());

/** Lets a run started on `subscribe()` begin (runs start on the asap scheduler). */
const started = () => new Promise((resolve) => setTimeout(resolve, 0));

function collect(flow: Flow): Promise<TaskRunEvent[]> {
  const events: TaskRunEvent[] = [];
  return new Promise((resolve, reject) =>
    flow.run$().subscribe({
      next: (e) => events.push(e),
      error: reject,
      complete: () => resolve(events),
    }),
  );
}

describe("run$", () => {
  it("reports started, value and succeeded for each task, in dependency order", async () => {
    const flow = new Flow("Two", () => {
      const one = task("One", () => 1).bind();
      task("Plus one", (x: number) => x + 1).bind(one);
    });
    const events = await collect(flow);
    expect(events.map((e) => [e.type, e.task.name, "value" in e ? e.value : undefined])).toEqual([
      ["started", "One", undefined],
      ["value", "One", 1],
      ["succeeded", "One", undefined],
      ["started", "Plus one", undefined],
      ["value", "Plus one", 2],
      ["succeeded", "Plus one", undefined],
    ]);
    expect(
      events.filter((e) => e.type === "succeeded").map((e) => (e as { result: unknown }).result),
    ).toEqual([1, 2]);
    for (const e of events) expect(typeof e.time).toBe("number");
  });

  it("starts a task as soon as each input has a value, before a streaming input completes", async () => {
    const input = new Subject<number>();
    const flow = new Flow("Streaming", () => {
      const echo = task("Echo", (x: number) => x).bind(input);
      task("Double", (x: number) => 2 * x).bind(echo);
    });
    const seen: string[] = [];
    const done = new Promise<void>((resolve) =>
      flow.run$().subscribe({
        next: (e) => seen.push(`${e.type} ${e.task.name}`),
        complete: resolve,
      }),
    );
    await started();
    input.next(1);
    input.complete();
    await done;
    expect(seen).toEqual([
      "started Echo",
      "value Echo",
      "started Double",
      "value Double",
      "succeeded Echo",
      "succeeded Double",
    ]);
  });

  it("is cold: nothing runs before a subscription, and each subscription is a new run", async () => {
    let calls = 0;
    const flow = new Flow("Cold", () => {
      task("Count", () => ++calls).bind();
    });
    const run$ = flow.run$();
    expect(calls).toBe(0);
    await collect(flow);
    run$.subscribe();
    expect(calls).toBe(1);
    await started();
    expect(calls).toBe(2);
  });

  it("stops the run when unsubscribed", async () => {
    const input = new Subject<number>();
    const seen: number[] = [];
    const flow = new Flow("Stoppable", () => {
      task("Record", (x: number) => seen.push(x)).bind(input);
    });
    const subscription = flow.run$().subscribe();
    await started();
    input.next(1);
    subscription.unsubscribe();
    input.next(2);
    expect(seen).toEqual([1]);
    expect(input.observed).toBe(false);
  });

  it("reports each streamed metric value live, and the project's events$ shows it too", async () => {
    const loss$ = new Subject<number>();
    let projectTask!: LazyProject;
    const flow = new Flow("Live", () => {
      projectTask = new LazyProject({ fpath: "memory://events/live.json" }).bind();
      projectTask.log("Model", (exp) => exp.logMetric("loss", loss$));
      projectTask.save();
    });
    const live: unknown[] = [];
    const done = new Promise<void>((resolve) =>
      flow.run$().subscribe({
        next: (e) => {
          if (e.type === "value" && e.task === projectTask) {
            (e.value as Project).events$.subscribe((event) => live.push(event.type));
          }
          if (e.type === "value" && e.task.name === "Log experiment metric") live.push(e.value);
        },
        complete: resolve,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    loss$.next(0.5);
    loss$.next(0.25);
    loss$.complete();
    await done;
    expect(live).toEqual([
      "metric-logged",
      0.5,
      "metric-logged",
      0.25,
      "experiment-logged",
      "saved",
    ]);
  });
});

describe("artifacts", () => {
  it("logs an artifact written on save, and loads it back", async () => {
    const dir = tempDir("lazyscribe-flow-");
    const fpath = join(dir, "project.json");
    let loaded!: import("../../src/flow/index.js").Task;
    const flow = new Flow("Artifacts", () => {
      const project = new LazyProject({ fpath, author: "alice" }).bind();
      project.log("With features", (exp) => {
        exp.logArtifact("features", [0, 1, 2], "json", { indent: 4 });
        loaded = exp.loadArtifact("features");
      });
      project.save();
    });
    const state = await flow.run();
    expect(state.message).toBe('flow "Artifacts" succeeded');
    expect(state.result(loaded)).toEqual([0, 1, 2]);
    const [folder] = readdirSync(dir).filter((f) => f !== "project.json");
    const [file] = readdirSync(join(dir, folder as string));
    expect(JSON.parse(readFileSync(join(dir, folder as string, file as string), "utf8"))).toEqual([
      0, 1, 2,
    ]);
    const reread = await Project.open(fpath, { mode: "r" });
    expect(reread.experiments[0]?.artifacts.map((a) => a.name)).toEqual(["features"]);
  });
});

describe("layering", () => {
  it("keeps the core free of imports of the flow layer", () => {
    const src = join(import.meta.dirname, "../../src");
    const offenders: string[] = [];
    const visit = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== "flow" && entry.name !== "dashboard") visit(path);
        } else if (
          entry.name.endsWith(".ts") &&
          /from "\.\.?\/(?:\.\.\/)*flow\//.test(readFileSync(path, "utf8"))
        ) {
          offenders.push(path);
        }
      }
    };
    visit(src);
    expect(offenders).toEqual([]);
  });
});

describe("events a UI can use", () => {
  it("names the experiment (and its slug), the kind and the key of each logging task", async () => {
    const score$ = new Subject<number>();
    const flow = new Flow("UI", () => {
      const project = new LazyProject({ fpath: "memory://events/ui.json" }).bind();
      project.log("Model", (exp) => {
        exp.logMetric("score", score$);
        exp.logParameter("depth", 3);
        exp.tag(["a", "b"]);
        exp.logTest("Holdout", (test) => test.logMetric("auc", 0.8));
      });
    });
    const events: TaskRunEvent[] = [];
    const done = new Promise<void>((resolve) =>
      flow.run$().subscribe({ next: (e) => events.push(e), complete: resolve }),
    );
    await started();
    score$.next(0.5);
    score$.complete();
    await done;
    const logged = events
      .filter((e): e is TaskValueEvent => e.type === "value" && e.kind !== undefined)
      .map((e) => [e.task.name, e.kind, e.key, e.experiment?.name, e.test, e.experiment?.slug]);
    const slug = (logged[0]?.[5] ?? "") as string;
    expect(slug).toMatch(/^model-\d{14}$/);
    expect(logged).toEqual([
      ["Log parameter", "parameter", "depth", "Model", undefined, slug],
      ["Add tag", "tag", "a, b", "Model", undefined, slug],
      ["Log test metric", "metric", "auc", "Model", "Holdout", slug],
      ["Append test", "test", "Holdout", "Model", undefined, slug],
      ["Log experiment metric", "metric", "score", "Model", undefined, slug],
    ]);
  });

  it("gives the project's events as a stream that completes when the run ends", async () => {
    const flow = new Flow("Project events", () => {
      const project = new LazyProject({ fpath: "memory://events/project.json" }).bind();
      project.log("E", (exp) => exp.logMetric("m", 1));
      project.save();
    });
    const seen = await lastValueFrom(flow.run$().pipe(projectEvents(), toArray()));
    expect(seen.map((e) => e.type)).toEqual(["metric-logged", "experiment-logged", "saved"]);
  });

  it("never emits inside subscribe(), before the subscriber holds its subscription", () => {
    const flow = new Flow("Sync", () => {
      task("One", () => 1).bind();
    });
    const seen: string[] = [];
    const subscription = flow.run$().subscribe((e) => seen.push(e.type));
    expect(seen).toEqual([]);
    subscription.unsubscribe();
  });
});
