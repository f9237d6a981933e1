/** Marble tests of `invoke` (invoke.ts), with RxJS's stock `TestScheduler.run()`. */
import { of } from "rxjs";
import { describe, expect, it } from "vitest";
import { invoke } from "../../../src/flow/invoke.js";
import { testScheduler } from "./scheduler.js";

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
