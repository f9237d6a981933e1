/** A bound task is a cold Observable: subscribing runs it, and what it needs, in a run of its own. */
import { firstValueFrom, isObservable, lastValueFrom, map, Observable, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { Flow, FlowError, LazyProject, type Task, task } from "../../src/flow/index.js";
import { MemoryStorage, Project } from "../../src/index.js";

describe("a bound task", () => {
  it("is an Observable whose subscription runs it and its upstream tasks, once each", async () => {
    const calls: string[] = [];
    let total!: Task<number>;
    let unrelated!: Task<string>;
    new Flow("Sum", () => {
      const data = task("Load", () => {
        calls.push("Load");
        return [1, 2, 3];
      }).bind();
      const sum = task("Sum", (xs: number[]) => {
        calls.push("Sum");
        return xs.reduce((a, b) => a + b, 0);
      }).bind(data);
      const count = task("Count", (xs: number[]) => {
        calls.push("Count");
        return xs.length;
      }).bind(data);
      total = task("Mean", (s: number, n: number) => s / n).bind(sum, count);
      unrelated = task("Unrelated", () => {
        calls.push("Unrelated");
        return "x";
      }).bind();
    });
    expect(isObservable(total)).toBe(true);
    expect(calls).toEqual([]);
    expect(await lastValueFrom(total)).toBe(2);
    expect(calls).toEqual(["Load", "Sum", "Count"]);
    expect(await lastValueFrom(total.pipe(map((m) => m * 10)))).toBe(20);
    expect(calls).toEqual(["Load", "Sum", "Count", "Load", "Sum", "Count"]);
    expect(await firstValueFrom(unrelated)).toBe("x");
  });

  it("gives every value of a streaming task, then completes", async () => {
    let doubled!: Task<number>;
    new Flow("Stream", () => {
      const epochs = task(
        "Epochs",
        () =>
          new Observable<number>((s) => {
            s.next(1);
            s.next(2);
            s.complete();
          }),
      ).bind();
      doubled = task("Double", (x: number) => 2 * x).bind(epochs);
    });
    expect(await lastValueFrom(doubled.pipe(toArray()))).toEqual([2, 4]);
  });

  it("subscribes a user Observable given to several tasks once per run", async () => {
    let subscriptions = 0;
    const data$ = new Observable<number>((subscriber) => {
      subscriptions += 1;
      subscriber.next(21);
      subscriber.complete();
    });
    let both!: Task<number>;
    const flow = new Flow("Shared input", () => {
      const a = task("A", (x: number) => x).bind(data$);
      const b = task("B", (x: number) => x).bind(data$);
      both = task("Both", (x: number, y: number) => x + y).bind(a, b);
    });
    expect(await lastValueFrom(both)).toBe(42);
    expect(subscriptions).toBe(1);
    await flow.run();
    expect(subscriptions).toBe(2);
  });

  it("errors with its own error when it fails, and names the failed task when it is not run", async () => {
    let failing!: Task<number>;
    let after!: Task<number>;
    new Flow("Failing", () => {
      failing = task("Compute", (): number => {
        throw new Error("out of memory");
      }).bind();
      after = task("After", (x: number) => x).bind(failing);
    });
    await expect(lastValueFrom(failing)).rejects.toThrow(new Error("out of memory"));
    await expect(lastValueFrom(after)).rejects.toThrow(
      new FlowError('task "After" was not run: task "Compute" failed'),
    );
  });

  it("errors when it is a template that was never bound", async () => {
    await expect(lastValueFrom(new LazyProject())).rejects.toThrow(
      'task "Open project" is not bound to a flow: call .bind() in a builder',
    );
  });

  it("opens a project when the project's task is subscribed", async () => {
    let project!: LazyProject;
    new Flow("Open", () => {
      project = new LazyProject({ fpath: "memory://observable/p.json", mode: "w" }).bind();
    });
    const opened = await lastValueFrom(project);
    expect(opened).toBeInstanceOf(Project);
    expect(opened.fpath).toBe("memory://observable/p.json");
    MemoryStorage.clear();
  });
});
