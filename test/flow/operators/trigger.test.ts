/** Marble tests of `joinUpstream`, `settled` and `succeeded` (trigger.ts), with RxJS's stock `TestScheduler.run()`. */
import { describe, it } from "vitest";
import { Failure, TriggerSkip } from "../../../src/flow/failure.js";
import type { Task } from "../../../src/flow/index.js";
import { joinUpstream, settled, succeeded } from "../../../src/flow/trigger.js";
import { testScheduler } from "./scheduler.js";

/** Stand-ins for tasks (the join only reads their names). */
const A = { name: "A" } as Task;
const B = { name: "B" } as Task;

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
