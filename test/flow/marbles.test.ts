import { join } from "node:path";
import { filter, map, type Observable, share } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  Flow,
  flushVirtualTime,
  LazyProject,
  type Task,
  type TaskRunEvent,
  task,
} from "../../src/flow/index.js";
import { MemoryStorage, Project, type ProjectEvent } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

afterEach(() => MemoryStorage.clear());

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** The run's events of `type` for the given tasks, as the letter given to each task. */
function letters(
  run$: Observable<TaskRunEvent>,
  type: TaskRunEvent["type"],
  tasks: ReadonlyMap<Task, string>,
): Observable<string> {
  return run$.pipe(
    filter((e) => e.type === type && tasks.has(e.task)),
    map((e) => tasks.get(e.task) as string),
  );
}

describe("ordering, in virtual time", () => {
  it("logs every emission of a streamed metric, in order, before the append and the save", async () => {
    const scheduler = testScheduler();
    const loss$ = scheduler.createColdObservable("-a-b-c|", { a: 0.9, b: 0.5, c: 0.25 });
    let lossTask!: Task;
    const flow = new Flow("Train", () => {
      const project = new LazyProject({ fpath: "memory://marbles/loss.json" }).bind();
      project.log("Model", (exp) => {
        exp.logMetric("build_time", "10M");
        lossTask = exp.logMetric("loss", loss$);
      });
      project.save();
    });
    const [append] = flow.getTasks({ name: "Append experiment" });
    const [save] = flow.getTasks({ name: "Save project" });
    const run$ = flow.run$({ scheduler }).pipe(share());
    scheduler
      .expectObservable(
        run$.pipe(
          filter((e) => e.type === "value" && e.task === lossTask),
          map((e) => (e as { value: number }).value),
        ),
      )
      .toBe("-a-b-c|", { a: 0.9, b: 0.5, c: 0.25 });
    const ends = new Map<Task, string>([
      [lossTask, "m"],
      [append as Task, "a"],
      [save as Task, "s"],
    ]);
    scheduler.expectObservable(letters(run$, "succeeded", ends)).toBe("------(mas|)");
    await flushVirtualTime(scheduler);
    const saved = await Project.open("memory://marbles/loss.json", { mode: "r" });
    expect(saved.experiments[0]?.metrics).toEqual({ build_time: "10M", loss: 0.25 });
  });

  it("appends an experiment only after its slowest logging stream, and saves after every append", async () => {
    const scheduler = testScheduler();
    const fast$ = scheduler.createColdObservable("--x|", { x: 1 });
    const slow$ = scheduler.createColdObservable("----y|", { y: 2 });
    const flow = new Flow("Two", () => {
      const project = new LazyProject({ fpath: "memory://marbles/two.json" }).bind();
      project.log("Fast", (exp) => exp.logMetric("m", fast$));
      project.log("Slow", (exp) => {
        exp.logMetric("m", slow$);
        exp.logParameter("p", slow$);
      });
      project.save();
    });
    const [fast, slow] = flow.getTasks({ name: "Append experiment" }) as [Task, Task];
    const [save] = flow.getTasks({ name: "Save project" }) as [Task];
    const ends = new Map([
      [fast, "f"],
      [slow, "s"],
      [save, "S"],
    ]);
    scheduler
      .expectObservable(letters(flow.run$({ scheduler }), "started", ends))
      .toBe("---f-(sS|)");
    await flushVirtualTime(scheduler);
  });

  it("shows each emission of a streamed metric on the project's events$, in order", async () => {
    const scheduler = testScheduler();
    const loss$ = scheduler.createColdObservable("-a-b|", { a: 3, b: 1 });
    let projectTask!: LazyProject;
    const flow = new Flow("Live", () => {
      projectTask = new LazyProject({ fpath: "memory://marbles/live.json" }).bind();
      projectTask.log("Model", (exp) => exp.logMetric("loss", loss$));
      projectTask.save();
    });
    const seen: [number, ProjectEvent["type"], unknown][] = [];
    flow.run$({ scheduler }).subscribe((e) => {
      if (e.type === "value" && e.task === projectTask) {
        (e.value as Project).events$.subscribe((event) =>
          seen.push([scheduler.now(), event.type, "value" in event ? event.value : undefined]),
        );
      }
    });
    await flushVirtualTime(scheduler);
    expect(seen).toEqual([
      [10, "metric-logged", 3],
      [30, "metric-logged", 1],
      [40, "experiment-logged", undefined],
      [40, "saved", undefined],
    ]);
  });

  it("stops what is downstream of a failure at the time it fails; the rest still saves", async () => {
    const scheduler = testScheduler();
    const broken$ = scheduler.createColdObservable("-a-#", { a: 1 }, new Error("sensor lost"));
    const fine$ = scheduler.createColdObservable("-b|", { b: 2 });
    let brokenMetric!: Task;
    const flow = new Flow("Broken", () => {
      const project = new LazyProject({ fpath: "memory://marbles/broken.json" }).bind();
      project.log("Broken", (exp) => {
        brokenMetric = exp.logMetric("m", broken$);
      });
      project.log("Fine", (exp) => exp.logMetric("m", fine$));
      project.save();
    });
    const [brokenAppend, fineAppend] = flow.getTasks({ name: "Append experiment" }) as [Task, Task];
    const [save] = flow.getTasks({ name: "Save project" }) as [Task];
    const run$ = flow.run$({ scheduler }).pipe(share());
    const outcome = (e: TaskRunEvent) => `${e.type}:${e.task === brokenAppend ? "A" : e.task.name}`;
    const watched = new Set<Task>([brokenMetric, brokenAppend, fineAppend, save]);
    scheduler
      .expectObservable(
        run$.pipe(
          filter((e) => watched.has(e.task) && e.type !== "started" && e.type !== "value"),
          map(outcome),
        ),
      )
      .toBe("--x(ynz|)", {
        x: "succeeded:Append experiment",
        y: "failed:Log experiment metric",
        n: "not-run:A",
        z: "succeeded:Save project",
      });
    await flushVirtualTime(scheduler);
    const saved = await Project.open("memory://marbles/broken.json", { mode: "r" });
    expect(saved.experiments.map((e) => e.name)).toEqual(["Fine"]);
  });

  it("waits the retry delay on the run's scheduler", async () => {
    const scheduler = testScheduler();
    let attempts = 0;
    const flaky = task(
      "Flaky",
      () => {
        attempts += 1;
        if (attempts < 3) throw new Error("not yet");
        return "done";
      },
      { retries: 2, retryDelay: 50 },
    );
    const flow = new Flow("Retry", () => {
      flaky.bind();
    });
    const short = { started: "s", retrying: "r", value: "v", succeeded: "d" } as Record<
      string,
      string
    >;
    scheduler
      .expectObservable(flow.run$({ scheduler }).pipe(map((e) => short[e.type] as string)))
      .toBe("(sr)-r----(vd|)");
    await flushVirtualTime(scheduler);
    expect(attempts).toBe(3);
  });

  it("resolves flow.run({ scheduler }) in virtual time, driven by flushVirtualTime", async () => {
    const scheduler = testScheduler();
    const value$ = scheduler.createColdObservable("---a|", { a: 7 });
    let doubled!: Task<number>;
    const flow = new Flow("Virtual", () => {
      doubled = task("Double", (x: number) => x * 2).bind(value$);
    });
    const running = flow.run({ scheduler });
    await flushVirtualTime(scheduler);
    const state = await running;
    expect(state.result(doubled)).toBe(14);
    expect(scheduler.now()).toBe(40);
  });
  it("holds virtual time while a task's promise is pending, under flushVirtualTime", async () => {
    const scheduler = testScheduler();
    const ticks$ = scheduler.createColdObservable("-a-b|", { a: 1, b: 2 });
    const flow = new Flow("Slow load", () => {
      const load = task(
        "Load",
        () => new Promise<number>((resolve) => setTimeout(() => resolve(100), 20)),
      ).bind();
      task("Add", (base: number, tick: number) => base + tick).bind(load, ticks$);
    });
    const sums = flow.run$({ scheduler }).pipe(
      filter((e) => e.type === "value" && e.task.name === "Add"),
      map((e) => (e as { value: number }).value),
    );
    // Had time run on while Load's promise was pending, tick 1 would be gone before it.
    scheduler.expectObservable(sums).toBe("-a-b|", { a: 101, b: 102 });
    await flushVirtualTime(scheduler);
  });

  it("fails a promise task on a TestScheduler that flushVirtualTime is not driving", () => {
    const scheduler = testScheduler();
    const flow = new Flow("Async", () => {
      task("Fetch", async () => 1).bind();
    });
    scheduler
      .expectObservable(
        flow.run$({ scheduler }).pipe(
          filter((e) => e.type === "failed"),
          map((e) => ((e as { error: Error }).error as Error).message),
        ),
      )
      .toBe("(m|)", {
        m: 'task "Fetch" returned a promise on a virtual-time scheduler (its clock reads 0) that flushVirtualTime() is not driving, where nothing waits for it: a promise settles only after the synchronous flush of virtual time has returned. Return an Observable instead (of(value), defer(() => ...), a cold marble), or give the TestScheduler to flow.run$({ scheduler }) outside TestScheduler.run() and await flushVirtualTime(scheduler)',
      });
    scheduler.flush();
  });
  it("holds virtual time while a local project opens and saves, under flushVirtualTime", async () => {
    const scheduler = testScheduler();
    const fpath = join(tempDir("lazyscribe-marbles-"), "project.json");
    const loss$ = scheduler.createColdObservable("-a-b-c|", { a: 0.9, b: 0.5, c: 0.25 });
    let lossTask!: Task;
    const flow = new Flow("Train", () => {
      const project = new LazyProject({ fpath }).bind();
      project.log("Model", (exp) => {
        lossTask = exp.logMetric("loss", loss$);
      });
      project.save();
    });
    const run$ = flow.run$({ scheduler }).pipe(share());
    // The open takes real time: had virtual time run on meanwhile, the values would be gone.
    scheduler
      .expectObservable(
        run$.pipe(
          filter((e) => e.type === "value" && e.task === lossTask),
          map((e) => (e as { value: number }).value),
        ),
      )
      .toBe("-a-b-c|", { a: 0.9, b: 0.5, c: 0.25 });
    scheduler
      .expectObservable(
        run$.pipe(
          filter((e) => e.type === "succeeded" && e.task.name === "Save project"),
          map(() => "s"),
        ),
      )
      .toBe("------(s|)");
    await flushVirtualTime(scheduler);
    const saved = await Project.open(fpath, { mode: "r" });
    expect(saved.experiments[0]?.metrics).toEqual({ loss: 0.25 });
  });
});
