import { tap } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Flow, flushVirtualTime, LazyProject, type MetricAtStep } from "../../src/flow/index.js";
import { type Experiment, MemoryStorage, Project, type ProjectEvent } from "../../src/index.js";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
  MemoryStorage.clear();
});

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe("streamed metrics keep their history", () => {
  it("records each emission at its index, or at the step a { step, value } stream gives", async () => {
    const scheduler = testScheduler();
    const loss$ = scheduler.createColdObservable("-a-b-c|", { a: 0.9, b: 0.5, c: 0.25 });
    const lr$ = scheduler.createColdObservable<MetricAtStep>("--x--y|", {
      x: { step: 10, value: 0.1 },
      y: { step: 20, value: 0.05 },
    });
    // The clock moves with each value, so the test's times show they are the values' own.
    const auroc$ = scheduler
      .createColdObservable("-p-q|", { p: 0.6, q: 0.7 })
      .pipe(tap((v) => vi.setSystemTime(T0 + v * 10_000)));
    let projectTask!: LazyProject;
    const flow = new Flow("Train", () => {
      projectTask = new LazyProject({ fpath: "memory://history/flow.json" }).bind();
      projectTask.log("Model", (exp) => {
        exp.logMetric("loss", loss$);
        exp.logMetric("lr", lr$);
        exp.logMetric("epochs", 3);
        exp.logTest("Holdout", (test) => test.logMetric("auroc", auroc$));
      });
      projectTask.save();
    });
    const seen: unknown[] = [];
    const lrValues: unknown[] = [];
    flow.run$({ scheduler }).subscribe((e) => {
      if (e.type === "value" && e.task === projectTask) {
        (e.value as Project).events$.subscribe((event: ProjectEvent) => {
          if (event.type === "metric-logged") {
            seen.push([scheduler.now(), event.name, event.value, event.step, event.test]);
          }
        });
      }
      if (e.type === "value" && e.task.name === "Log experiment metric") lrValues.push(e.value);
    });
    await flushVirtualTime(scheduler);
    expect(seen).toEqual([
      [0, "epochs", 3, 0, undefined],
      [10, "loss", 0.9, 0, undefined],
      [20, "lr", 0.1, 10, undefined],
      [30, "loss", 0.5, 1, undefined],
      // A flow's test reaches the experiment when it completes: its values come then, each
      // with its step (and, below, its own time).
      [40, "auroc", 0.6, 0, "Holdout"],
      [40, "auroc", 0.7, 1, "Holdout"],
      [50, "loss", 0.25, 2, undefined],
      [50, "lr", 0.05, 20, undefined],
    ]);
    // A task's value is the metric's value, also for { step, value }.
    expect(lrValues).toEqual([3, 0.9, 0.1, 0.5, 0.25, 0.05]);
    const saved = await Project.open("memory://history/flow.json", { mode: "r" });
    const exp = saved.experiments[0] as Experiment;
    expect(exp.metrics).toEqual({ epochs: 3, loss: 0.25, lr: 0.05 });
    expect(await exp.metricHistory("loss")).toEqual([
      { step: 0, value: 0.9, time: T0 },
      { step: 1, value: 0.5, time: T0 + 6000 },
      { step: 2, value: 0.25, time: T0 + 7000 },
    ]);
    expect((await exp.metricHistory("lr")).map((p) => [p.step, p.value])).toEqual([
      [10, 0.1],
      [20, 0.05],
    ]);
    expect(await exp.tests[0]?.metricHistory("auroc")).toEqual([
      { step: 0, value: 0.6, time: T0 + 6000 },
      { step: 1, value: 0.7, time: T0 + 7000 },
    ]);
  });
});
