/** Marble tests of `projectEvents` (events.ts), with RxJS's stock `TestScheduler.run()`. */
import { describe, it } from "vitest";
import { projectEvents, type Task, type TaskRunEvent } from "../../../src/flow/index.js";
import type { ProjectEvent } from "../../../src/index.js";
import { testScheduler } from "./scheduler.js";

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
