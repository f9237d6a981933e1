/** Marble tests of `Run.source` (run.ts), with RxJS's stock `TestScheduler.run()`. */
import { filter } from "rxjs";
import { describe, expect, it } from "vitest";
import { Flow, type Task, task } from "../../../src/flow/index.js";
import { testScheduler } from "./scheduler.js";

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
