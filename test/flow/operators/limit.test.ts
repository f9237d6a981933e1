/** Marble tests of `Limiter` (limit.ts), with RxJS's stock `TestScheduler.run()`. */
import { describe, it } from "vitest";
import { Limiter } from "../../../src/flow/limit.js";
import { testScheduler } from "./scheduler.js";

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
