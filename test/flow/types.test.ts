/** Types flow end to end: a task's result type, its inputs' types, the tasks as Observables. */
import { type Observable, of } from "rxjs";
import { describe, expectTypeOf, it } from "vitest";
import {
  Flow,
  type LazyExperiment,
  LazyProject,
  Parameter,
  type Task,
  type TaskContext,
  task,
} from "../../src/flow/index.js";
import type { Experiment, MetricValue, Project, Tabular } from "../../src/index.js";

interface Model {
  readonly weights: number[];
}

describe("types", () => {
  it("infers a task's result and checks its inputs", () => {
    new Flow("Types", () => {
      const train = task("Train", (epochs: number): Model => ({ weights: [epochs] })).bind(3);
      expectTypeOf(train).toEqualTypeOf<Task<Model>>();
      const score = task("Score", (_model: Model) => 0.9).bind(train);
      expectTypeOf(score).toEqualTypeOf<Task<number>>();
      expectTypeOf(score).toMatchTypeOf<Observable<number>>();
      expectTypeOf(task("Async", async () => "done").bind()).toEqualTypeOf<Task<string>>();
      expectTypeOf(task("Stream", () => of(1, 2)).bind()).toEqualTypeOf<Task<number>>();
      const name = task("Name", () => "x").bind();
      // @ts-expect-error: a Task<string> where a Model is expected
      task("Score", (_model: Model) => 0.9).bind(name);
      // @ts-expect-error: a Task<string> where a number is expected
      task("Double", (x: number) => 2 * x).bind(name);
      // @ts-expect-error: a missing input
      task("Double", (x: number) => 2 * x).bind();
      // Inputs may be values, Observables, tasks or parameters of the right type.
      const seed = Parameter<number>("seed", { default: 1 });
      expectTypeOf(
        task("Add", (a: number, b: number, c: number, d: number) => a + b + c + d).bind(
          1,
          of(2),
          score,
          seed,
        ),
      ).toEqualTypeOf<Task<number>>();
    });
  });

  it("gives a task function its context as `this`", () => {
    task("Fetch", function (this: TaskContext, url: string) {
      expectTypeOf(this.signal).toEqualTypeOf<AbortSignal>();
      return url.length;
    });
  });

  it("types the lazy classes' tasks", () => {
    new Flow("Lazy", () => {
      const project = new LazyProject({ fpath: "memory://types/p.json" }).bind();
      expectTypeOf(project).toMatchTypeOf<Task<Project>>();
      const exp = project.log("E", (e) => {
        expectTypeOf(e).toEqualTypeOf<LazyExperiment>();
        expectTypeOf(e.logMetric("m", 1)).toEqualTypeOf<Task<MetricValue>>();
        // @ts-expect-error: a metric is a number or a string
        e.logMetric("m", { nested: true });
      });
      expectTypeOf(exp).toMatchTypeOf<Task<Experiment>>();
      expectTypeOf(project.save()).toEqualTypeOf<Task<Project>>();
      expectTypeOf(project.toTabular()).toEqualTypeOf<Task<Tabular>>();
      expectTypeOf(project.save()).toMatchTypeOf<Observable<Project>>();
    });
  });

  it("checks the inputs of the lazy classes' logging against what the core takes", () => {
    new Flow("Lazy inputs", () => {
      const fpath = Parameter<string>("fpath", { default: "memory://types/q.json" });
      const project = new LazyProject({ fpath }).bind();
      const score = task("Score", (_model: Model) => 0.9).bind({ weights: [] });
      const label = task("Label", () => "good").bind();
      const config = task("Config", () => ({ depth: 3 })).bind();
      project.log("E", (e) => {
        expectTypeOf(e.logMetric("score", score)).toEqualTypeOf<Task<MetricValue>>();
        e.logMetric("label", label); // a metric may be a string
        e.logMetric("loss", of(0.5, 0.25));
        // @ts-expect-error: an object is not a metric
        e.logMetric("config", config);
        e.tag(label);
        // @ts-expect-error: tags are strings
        e.tag(score);
        e.logTest("T", (t) => {
          expectTypeOf(t.logMetric("m", score)).toEqualTypeOf<Task<MetricValue>>();
          // @ts-expect-error: an object is not a test metric
          t.logMetric("m", config);
        });
      });
      expectTypeOf(project.merge(project)).toEqualTypeOf<LazyProject>();
      // @ts-expect-error: only projects merge
      project.merge(score);
      // @ts-expect-error: a Parameter<number> where a path is expected
      new LazyProject({ fpath: Parameter<number>("n", { default: 1 }) }).bind();
      // @ts-expect-error: a Task<string> where a number is expected
      task("Half", (x: number) => x / 2).bind(label);
    });
  });
});
