/** The per-key queue of storage updates (queue.ts), as marbles in RxJS's `TestScheduler.run()`. */
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { KeyedQueue } from "../../src/storage/queue.js";

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe("KeyedQueue.run$", () => {
  it("starts a run with nothing queued at once, and the next one when it has ended", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const queue = new KeyedQueue();
      const a = cold("--a|");
      const b = cold("-b|");
      expectObservable(queue.run$("f", a)).toBe("--a|");
      expectObservable(queue.run$("f", b)).toBe("----b|");
      expectSubscriptions(a.subscriptions).toBe("^--!");
      expectSubscriptions(b.subscriptions).toBe("---^-!");
    });
  });

  it("runs other keys side by side", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const queue = new KeyedQueue();
      expectObservable(queue.run$("f", cold("--a|"))).toBe("--a|");
      expectObservable(queue.run$("g", cold("-b|"))).toBe("-b|");
    });
  });

  it("lets no run overtake the ones before a run unsubscribed from while it waited", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const queue = new KeyedQueue();
      const a = cold("----a|");
      const b = cold("-b|");
      const c = cold("c|");
      expectObservable(queue.run$("f", a)).toBe("----a|");
      expectObservable(queue.run$("f", b), "^-!").toBe("---");
      expectObservable(queue.run$("f", c)).toBe("-----c|");
      expectSubscriptions(b.subscriptions).toBe([]);
      expectSubscriptions(c.subscriptions).toBe("-----^!");
    });
  });

  it("passes a failure on and lets the next run start", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const queue = new KeyedQueue();
      expectObservable(queue.run$("f", cold("-#", undefined, new Error("no")))).toBe(
        "-#",
        undefined,
        new Error("no"),
      );
      expectObservable(queue.run$("f", cold("a|"))).toBe("-a|");
    });
  });

  it("gives run()'s promise the task's value", async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    const first = queue.run("f", async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push("first");
      return 1;
    });
    const second = queue.run("f", async () => {
      order.push("second");
      return 2;
    });
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(order).toEqual(["first", "second"]);
  });
});
