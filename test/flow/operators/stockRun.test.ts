/**
 * Whole runs of a flow in RxJS's stock `TestScheduler.run()`: no helper, no scheduler given to
 * the flow; and what cannot run there (a task that returns a promise) and why. A flow that
 * opens and saves a `memory://` project is in ../stockRunProject.test.ts.
 */
import { filter, map, type Observable } from "rxjs";
import { describe, it } from "vitest";
import type { FlowError } from "../../../src/flow/errors.js";
import { Flow, type TaskRunEvent, task } from "../../../src/flow/index.js";
import { testScheduler } from "./scheduler.js";

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
        m: 'task "Fetch" returned a promise inside TestScheduler.run(), where nothing waits for it: a promise settles only after the synchronous flush of virtual time has returned. Return an Observable instead (of(value), defer(() => ...), a cold marble), or give the TestScheduler to flow.run$({ scheduler }) outside TestScheduler.run() and await flushVirtualTime(scheduler)',
      });
    });
  });
});
