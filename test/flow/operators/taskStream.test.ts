/** Marble tests of `taskStream` (taskStream.ts), with RxJS's stock `TestScheduler.run()`. */
import { describe, it } from "vitest";
import { Failure } from "../../../src/flow/failure.js";
import { Flow, type Task, task } from "../../../src/flow/index.js";
import { SILENT } from "../../../src/flow/reporter.js";
import { Run } from "../../../src/flow/run.js";
import { testScheduler } from "./scheduler.js";

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
