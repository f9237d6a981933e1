/**
 * Marble tests of the engine's operator-level modules, and of whole runs, with RxJS's stock
 * `TestScheduler.run()`: no helper, no scheduler given to the flow.
 */
import { catchError, filter, map, type Observable, of } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { FlowError } from "../../src/flow/errors.js";
import { Failure, TriggerSkip } from "../../src/flow/failure.js";
import {
  Flow,
  LazyExperiment,
  LazyProject,
  projectEvents,
  type Task,
  type TaskRunEvent,
  task,
} from "../../src/flow/index.js";
import { combineInputs } from "../../src/flow/inputs.js";
import { invoke } from "../../src/flow/invoke.js";
import { Limiter } from "../../src/flow/limit.js";
import { SILENT } from "../../src/flow/reporter.js";
import { Run } from "../../src/flow/run.js";
import { joinUpstream, settled, succeeded } from "../../src/flow/trigger.js";
import {
  type JsonValue,
  type MetricValue,
  NotFoundError,
  Project,
  type ProjectEvent,
  type Test,
} from "../../src/index.js";

const testScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Stand-ins for tasks (the join only reads their names). */
const A = { name: "A" } as Task;
const B = { name: "B" } as Task;

describe("combineInputs (inputs.ts)", () => {
  it("puts the latest value of each streaming input in its place, plain values as they are", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const x = cold("-a--b|", { a: 1, b: 2 });
      const y = cold("--c|", { c: 10 });
      const sources = new Map<unknown, Observable<unknown>>([
        ["x", x],
        ["y", y],
      ]);
      const args$ = combineInputs(["x", 5, "y"], (input) => sources.get(input));
      expectObservable(args$).toBe("--p-q|", { p: [1, 5, 10], q: [2, 5, 10] });
    });
  });

  it("gives the plain values once when nothing streams, and maps a single source", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(combineInputs([1, 2], () => undefined)).toBe("(a|)", { a: [1, 2] });
      const x = cold("-a-b|", { a: 1, b: 2 });
      expectObservable(combineInputs(["x", 0], (i) => (i === "x" ? x : undefined))).toBe("-a-b|", {
        a: [1, 0],
        b: [2, 0],
      });
    });
  });
});

describe("joinUpstream (trigger.ts)", () => {
  const failure = new Failure(B, new Error("boom"));

  it("all-successful: emits when every stream completed, errors at the first failure", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const ok = () => [succeeded(cold("-a|")), succeeded(cold("---b|"))];
      expectObservable(joinUpstream([A, B], "all-successful", ok, () => [])).toBe("----(x|)", {
        x: undefined,
      });
      const broken = () => [succeeded(cold("-----a|")), succeeded(cold("--#", {}, failure))];
      expectObservable(joinUpstream([A, B], "all-successful", broken, () => [])).toBe(
        "--#",
        {},
        failure,
      );
    });
  });

  it("any-successful: waits for all, runs if one succeeded, else skips naming the failure", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const some = () => [settled(cold("-a|"), A), settled(cold("---#", {}, failure), B)];
      expectObservable(joinUpstream([A, B], "any-successful", () => [], some)).toBe("---(x|)", {
        x: undefined,
      });
      const none = () => [
        settled(cold("-#", {}, failure), B),
        settled(cold("---#", {}, failure), B),
      ];
      expectObservable(joinUpstream([A, B], "any-successful", () => [], none)).toBe(
        "---#",
        {},
        new TriggerSkip(B, 'trigger "any-successful": none of the tasks it waits for succeeded'),
      );
    });
  });

  it("all-finished runs whatever happened; all-failed skips when one succeeded", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const mixed = () => [settled(cold("-a|"), A), settled(cold("--#", {}, failure), B)];
      expectObservable(joinUpstream([A, B], "all-finished", () => [], mixed)).toBe("--(x|)", {
        x: undefined,
      });
      expectObservable(joinUpstream([A, B], "all-failed", () => [], mixed)).toBe(
        "--#",
        {},
        new TriggerSkip(A, 'trigger "all-failed": task "A" succeeded'),
      );
    });
  });

  it("lets a task without waited-for tasks run at once", () => {
    testScheduler().run(({ expectObservable }) => {
      expectObservable(
        joinUpstream(
          [],
          "all-failed",
          () => [],
          () => [],
        ),
      ).toBe("(x|)", {
        x: undefined,
      });
    });
  });
});

describe("invoke (invoke.ts)", () => {
  it("retries after the delay, on RxJS's scheduler, reporting each retry", () => {
    const retries: number[] = [];
    testScheduler().run(({ expectObservable }) => {
      let calls = 0;
      const calls$ = invoke(
        () => {
          calls += 1;
          if (calls < 3) throw new Error(`attempt ${calls}`);
          return "ok";
        },
        {
          retries: 2,
          retryDelay: 5,
          scheduler: undefined,
          onRetry: (attempt) => retries.push(attempt),
          fromPromise: () => {
            throw new Error("no promise here");
          },
        },
      );
      expectObservable(calls$).toBe("----------(v|)", { v: "ok" });
    });
    expect(retries).toEqual([1, 2]);
  });

  it("gives an Observable's values, and fails once the retries are spent", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const options = {
        retries: 1,
        retryDelay: 0,
        scheduler: undefined,
        onRetry: () => undefined,
        fromPromise: () => of(),
      };
      expectObservable(invoke(() => cold("-a-b|"), options)).toBe("-a-b|");
      const error = new Error("always");
      expectObservable(invoke(() => cold("-#", {}, error), options)).toBe("--#", {}, error);
    });
  });
});

describe("Limiter (limit.ts)", () => {
  it("runs at most `limit` at once, the next when one ends, none once unsubscribed", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const limiter = new Limiter(1);
      expectObservable(limiter.limit(cold("--a|"))).toBe("--a|");
      expectObservable(limiter.limit(cold("-b|"))).toBe("----b|");
      expectObservable(limiter.limit(cold("-c|")), "--!").toBe("-");
      expectObservable(limiter.limit(cold("d|"))).toBe("-----d|");
    });
  });
});

describe("taskStream (taskStream.ts)", () => {
  it("calls the task once per argument list, after its waited-for tasks, and replays to late consumers", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const x$ = cold("-a--b|", { a: 1, b: 2 });
      const gate$ = cold("---g|");
      let gate!: Task<string>;
      let double!: Task<number>;
      const flow = new Flow("Stream", () => {
        gate = task("Gate", (g: string) => g).bind(gate$);
        double = task("Double", (x: number) => 2 * x)
          .after(gate)
          .bind(x$);
      });
      const run = new Run(flow, {}, new Map(), SILENT);
      // The join waits for "Gate" to end (frame 4), then subscribes to x$.
      expectObservable(run.stream(double)).toBe("-----a--b|", { a: 2, b: 4 });
      expectObservable(run.stream(double), "-------^").toBe("-------ab|", { a: 2, b: 4 });
      expectObservable(run.stream(gate)).toBe("---g|", { g: "g" });
      expectSubscriptions(x$.subscriptions).toBe("----^----!");
    });
  });

  it("errors with a Failure naming the task when its function throws; what waits for it is not run", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const boom = new Error("boom");
      let broken!: Task<number>;
      let after!: Task<number>;
      const flow = new Flow("Broken", () => {
        broken = task("Broken", (_x: number): number => {
          throw boom;
        }).bind(cold("--a|", { a: 1 }));
        after = task("After", (y: number) => y).bind(broken);
      });
      const run = new Run(flow, {}, new Map(), SILENT);
      expectObservable(run.stream(after)).toBe("--#", {}, new Failure(broken, boom));
    });
  });
});

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

describe("Run.source (run.ts)", () => {
  it("subscribes a user Observable once per run, however many tasks take it", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const loss$ = cold("-a-b|", { a: 0.5, b: 0.25 });
      let first!: Task<number>;
      let second!: Task<number>;
      const flow = new Flow("Shared", () => {
        first = task("First", (l: number) => l).bind(loss$);
        second = task("Second", (l: number) => 10 * l).bind(loss$);
      });
      expectObservable(flow.run$().pipe(filter((e) => e.type === "succeeded"))).toBe("----(ab|)", {
        a: expect.objectContaining({ task: first, result: 0.25 }),
        b: expect.objectContaining({ task: second, result: 2.5 }),
      });
      expectSubscriptions(loss$.subscriptions).toBe("^---!");
    });
  });
});

describe("projectEvents (events.ts)", () => {
  it("keeps the project events of a run, and completes with it", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const task = { name: "Open project" } as Task;
      const saved = { type: "saved" } as ProjectEvent;
      const logged = { type: "experiment-logged" } as ProjectEvent;
      const run$ = cold<TaskRunEvent>("a-b-c-d|", {
        a: { type: "started", task, time: 0 },
        b: { type: "project", task, event: logged, time: 2 },
        c: { type: "succeeded", task, result: undefined, time: 4 },
        d: { type: "project", task, event: saved, time: 6 },
      });
      expectObservable(run$.pipe(projectEvents())).toBe("--b---d|", { b: logged, d: saved });
    });
  });
});

describe("whole runs in TestScheduler.run()", () => {
  const names = (run$: Observable<TaskRunEvent>, type: TaskRunEvent["type"]) =>
    run$.pipe(
      filter((e) => e.type === type),
      map((e) => e.task.name),
    );

  it("records a flow's events at their frames with the stock API", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const epochs$ = cold("-a-b--|", { a: 1, b: 2 });
      const flow = new Flow("Train", () => {
        const train = task("Train", (epoch: number) => epoch * 10).bind(epochs$);
        task("Report", (loss: number) => `loss ${loss}`).bind(train);
      });
      expectObservable(names(flow.run$(), "started")).toBe("-(TR)-|", { T: "Train", R: "Report" });
      expectObservable(
        flow.run$().pipe(
          filter((e) => e.type === "value" && e.task.name === "Report"),
          map((e) => (e as { value: string }).value),
        ),
      ).toBe("-a-b--|", { a: "loss 10", b: "loss 20" });
    });
  });

  it("waits a retry's delay in virtual time", () => {
    testScheduler().run(({ expectObservable }) => {
      let attempts = 0;
      const flow = new Flow("Retry", () => {
        task(
          "Flaky",
          () => {
            attempts += 1;
            if (attempts < 2) throw new Error("not yet");
            return "done";
          },
          { retries: 1, retryDelay: 100 },
        ).bind();
      });
      const short = { started: "s", retrying: "r", value: "v", succeeded: "d" } as const;
      expectObservable(flow.run$().pipe(map((e) => short[e.type as keyof typeof short]))).toBe(
        "(sr) 96ms (vd|)",
      );
    });
  });

  it("cannot wait for opening a project there: the open fails at once, nothing else runs or is saved", async () => {
    const message =
      'task "Open project" returned a promise under virtual time, which a synchronous flush (TestScheduler.run(), scheduler.flush()) cannot wait for: give the TestScheduler to flow.run$({ scheduler }), outside run(), and await flushVirtualTime(scheduler)';
    testScheduler().run(({ expectObservable }) => {
      const flow = new Flow("Project", () => {
        const project = new LazyProject({ fpath: "memory://stock-run/p.json" }).bind();
        project.log("E", (exp) => exp.logMetric("m", 1));
        project.save();
      });
      const ends = flow.run$().pipe(
        filter((e) => e.type === "failed" || e.type === "not-run"),
        map(
          (e) =>
            `${e.type} ${e.task.name}${e.type === "failed" ? `: ${(e.error as Error).message}` : ""}`,
        ),
      );
      expectObservable(ends).toBe("(oemas|)", {
        o: `failed Open project: ${message}`,
        e: "not-run E",
        m: "not-run Log experiment metric",
        a: "not-run Append experiment",
        s: "not-run Save project",
      });
    });
    await new Promise((resolve) => setImmediate(resolve));
    await expect(Project.open("memory://stock-run/p.json", { mode: "r" })).rejects.toThrow(
      NotFoundError,
    );
  });

  it("fails a task that returns a promise there, saying how to test it instead", () => {
    testScheduler().run(({ expectObservable }) => {
      const flow = new Flow("Async", () => {
        task("Fetch", async () => 1).bind();
      });
      expectObservable(
        flow.run$().pipe(
          filter((e) => e.type === "failed"),
          map((e) => ((e as { error: Error }).error as FlowError).message),
        ),
      ).toBe("(m|)", {
        m: 'task "Fetch" returned a promise under virtual time, which a synchronous flush (TestScheduler.run(), scheduler.flush()) cannot wait for: give the TestScheduler to flow.run$({ scheduler }), outside run(), and await flushVirtualTime(scheduler)',
      });
    });
  });
});
