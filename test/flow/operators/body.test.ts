/** Marble tests of tasks folded into a body (body.ts), with RxJS's stock `TestScheduler.run()`. */
import { catchError, of } from "rxjs";
import { describe, expect, it } from "vitest";
import type { Failure } from "../../../src/flow/failure.js";
import { Flow, LazyExperiment, type Task } from "../../../src/flow/index.js";
import { SILENT } from "../../../src/flow/reporter.js";
import { Run } from "../../../src/flow/run.js";
import type { JsonValue, MetricValue, Test } from "../../../src/index.js";
import { testScheduler } from "./scheduler.js";

describe("folded tasks (body.ts)", () => {
  it("gives a folded task's value at the frame its body's task gives its own, one run per value", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const names$ = cold("-a--b|", { a: "alice", b: "bob" });
      let metric!: Task<MetricValue>;
      let rate!: Task<JsonValue>;
      const flow = new Flow("Folded", () => {
        const exp = new LazyExperiment({ name: "E" }).bind({ author: names$ });
        metric = exp.logMetric("m", 1);
        rate = exp.logParameter("lr", cold("---x|", { x: 0.1 }));
      });
      expect(metric.body).toBeDefined();
      expect(rate.body).toBeUndefined(); // its value comes from an Observable: a stream of its own
      const run = new Run(flow, {}, new Map(), SILENT);
      expectObservable(run.stream(metric)).toBe("-a--b|", { a: 1, b: 1 });
      // combineLatest over the experiment's runs and the rate's values.
      expectObservable(run.stream(rate)).toBe("---ab|", { a: 0.1, b: 0.1 });
    });
  });

  it("stops only the folded tasks that depend on a failed one", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      let bad!: Task<MetricValue>;
      let good!: Task<MetricValue>;
      let appended!: Task<Test>;
      const flow = new Flow("Folded failure", (flow) => {
        const exp = new LazyExperiment({ name: "E" }).bind({ author: cold("--a|", { a: "a" }) });
        good = exp.logMetric("ok", 1);
        exp.logTest("T", (test) => {
          bad = test.logMetric("", 2); // a metric needs a name: the core refuses it
        });
        [appended] = flow.getTasks({ name: "Append test" }) as [Task<Test>];
      });
      const run = new Run(flow, {}, new Map(), SILENT);
      expectObservable(run.stream(good)).toBe("--a|", { a: 1 });
      const failure = run
        .stream(bad)
        .pipe(catchError((f: Failure) => of(`${f.task.name}: ${(f.error as Error).name}`)));
      expectObservable(failure).toBe("--(f|)", { f: "Log test metric: ValidationError" });
      const blocked = run.stream(appended).pipe(catchError((f: Failure) => of(f.task.name)));
      expectObservable(blocked).toBe("--(b|)", { b: "Log test metric" });
    });
  });
});
