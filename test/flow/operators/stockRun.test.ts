/**
 * Whole runs of a flow in RxJS's stock `TestScheduler.run()`: no helper, no scheduler given to
 * the flow; and what cannot run there (a task that returns a promise) and why. A flow that
 * opens and saves a `memory://` project is in ../stockRunProject.test.ts.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { filter, map, type Observable } from "rxjs";
import { describe, expect, it } from "vitest";
import type { FlowError } from "../../../src/flow/errors.js";
import { Flow, LazyProject, type TaskRunEvent, task } from "../../../src/flow/index.js";
import { tempDir } from "../../helpers/fixtures.js";
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
  it("cannot wait for saving a project on a local path there: the save fails at once, nothing is written", async () => {
    const fpath = join(tempDir("lazyscribe-stock-run-"), "project.json");
    testScheduler().run(({ expectObservable }) => {
      const flow = new Flow("Local", () => {
        // Mode "w" reads nothing: the open answers at once; the save needs the disk.
        const project = new LazyProject({ fpath }).bind();
        project.log("E", (exp) => exp.logMetric("m", 1));
        project.save();
      });
      const ends = flow.run$().pipe(
        filter((e) => e.type !== "started" && e.type !== "value" && e.type !== "project"),
        map(
          (e) =>
            `${e.type} ${e.task.name}${e.type === "failed" ? `: ${(e.error as Error).message}` : ""}`,
        ),
      );
      // The open's body (the experiment, its logging, its append) runs before it completes.
      expectObservable(ends).toBe("(emaos|)", {
        o: "succeeded Open project",
        e: "succeeded E",
        m: "succeeded Log experiment metric",
        a: "succeeded Append experiment",
        s: 'failed Save project: task "Save project" waits for its project\'s storage inside TestScheduler.run(), where nothing waits for it: a promise settles only after the synchronous flush of virtual time has returned. Use a memory:// project, whose storage answers at once, or give the TestScheduler to flow.run$({ scheduler }) outside TestScheduler.run() and await flushVirtualTime(scheduler)',
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(fpath)).toBe(false);
  });
});
