/** Marble tests of `combineInputs` (inputs.ts), with RxJS's stock `TestScheduler.run()`. */
import type { Observable } from "rxjs";
import { describe, it } from "vitest";
import { combineInputs } from "../../../src/flow/inputs.js";
import { testScheduler } from "./scheduler.js";

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
