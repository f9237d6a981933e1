/** Concurrency limits: run({ maxConcurrency }) and a task's { concurrency }. */
import { Subject } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import { Flow, FlowError, LazyProject, type Task, task } from "../../src/flow/index.js";
import { MemoryStorage } from "../../src/index.js";

afterEach(() => MemoryStorage.clear());

/** A task function that counts how many of its calls run at once, each waiting a few ms. */
function tracked(name: string, options = {}) {
  const counter = { running: 0, most: 0, calls: 0 };
  const fn = task(
    name,
    async (i: number) => {
      counter.calls += 1;
      counter.running += 1;
      counter.most = Math.max(counter.most, counter.running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      counter.running -= 1;
      return i;
    },
    options,
  );
  return { fn, counter };
}

describe("maxConcurrency", () => {
  it("caps the task functions running at once", async () => {
    const { fn, counter } = tracked("Train");
    const flow = new Flow("Many", () => {
      for (let i = 0; i < 8; i++) fn.bind(i);
    });
    const state = await flow.run({ maxConcurrency: 2 });
    expect(state.isSuccessful()).toBe(true);
    expect(counter.calls).toBe(8);
    expect(counter.most).toBe(2);
    expect(flow.tasks.map((t) => state.result(t as Task<number>))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it("runs them all at once without a limit", async () => {
    const { fn, counter } = tracked("Train");
    const flow = new Flow("Many", () => {
      for (let i = 0; i < 8; i++) fn.bind(i);
    });
    await flow.run();
    expect(counter.most).toBe(8);
  });

  it("does not count bookkeeping: logging goes on while a long task holds the only place", async () => {
    const loss$ = new Subject<number>();
    const logged: number[] = [];
    const flow = new Flow("Bookkeeping", () => {
      const project = new LazyProject({ fpath: "memory://concurrency/p.json" }).bind();
      // Its function runs (and holds the only place) until the last epoch.
      const train = task("Train", () => loss$).bind();
      project.log("Model", (exp) => exp.logMetric("loss", train));
      project.save();
    });
    const done = new Promise<void>((resolve) =>
      flow.run$({ maxConcurrency: 1 }).subscribe({
        next: (e) => {
          if (e.type === "value" && e.task.name === "Log experiment metric") {
            logged.push(e.value as number);
          }
        },
        complete: resolve,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    loss$.next(0.5);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(logged).toEqual([0.5]);
    loss$.next(0.25);
    loss$.complete();
    await done;
    expect(logged).toEqual([0.5, 0.25]);
  });

  it("refuses a limit below 1 at the call, before anything runs", async () => {
    let calls = 0;
    const flow = new Flow("Bad limit", () => {
      task("Count", () => ++calls).bind();
    });
    const message =
      'flow "Bad limit": maxConcurrency must be a whole number >= 1, got 0: leave it out for no limit';
    expect(() => flow.run$({ maxConcurrency: 0 })).toThrow(new FlowError(message));
    await expect(flow.run({ maxConcurrency: 0 })).rejects.toThrow(new FlowError(message));
    await expect(flow.run({ maxConcurrency: 1.5 })).rejects.toThrow(/got 1\.5/);
    expect(calls).toBe(0);
  });
});

describe("a task's concurrency", () => {
  it("caps the calls of one task function across its tasks, not the others", async () => {
    const limited = tracked("Limited", { concurrency: 1 });
    const free = tracked("Free");
    const flow = new Flow("Per task", () => {
      for (let i = 0; i < 4; i++) {
        limited.fn.bind(i);
        free.fn.bind(i);
      }
    });
    await flow.run({ maxConcurrency: 10 });
    expect(limited.counter.most).toBe(1);
    expect(free.counter.most).toBe(4);
  });

  it("refuses a concurrency below 1 at the call", () => {
    expect(() => task("T", () => 1, { concurrency: 0 })).toThrow(
      new FlowError('task "T": concurrency must be a whole number >= 1, got 0'),
    );
  });
});
