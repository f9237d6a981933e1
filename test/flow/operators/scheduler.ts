/** The marble tests' scheduler: RxJS's `TestScheduler`, asserting with vitest. */
import { TestScheduler } from "rxjs/testing";
import { expect } from "vitest";

/** A new `TestScheduler` whose assertions are vitest's `toEqual`. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}
