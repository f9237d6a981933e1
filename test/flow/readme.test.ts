/** The README's marble test of a user's own flow, as it is printed there. */
import { filter, map } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { expect, it } from "vitest";
import { Flow, flushVirtualTime, LazyProject } from "../../src/flow/index.js";

it("appends the experiment once the last epoch's loss is logged", async () => {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const loss$ = scheduler.createColdObservable("-a-b-c|", { a: 0.9, b: 0.5, c: 0.25 });
  const flow = new Flow("Train", () => {
    const project = new LazyProject({ fpath: "memory://test/project.json" }).bind();
    project.log("Model", (exp) => exp.logMetric("loss", loss$));
    project.save();
  });
  const done = flow.run$({ scheduler }).pipe(
    filter(
      (e) => e.type === "succeeded" && e.task.name !== "Open project" && e.task.name !== "Model",
    ),
    map((e) => e.task.name),
  );
  scheduler.expectObservable(done).toBe("------(mas|)", {
    m: "Log experiment metric",
    a: "Append experiment",
    s: "Save project",
  });
  await flushVirtualTime(scheduler);
});
