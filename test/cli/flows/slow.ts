/** A flow whose training waits on its AbortSignal: Ctrl+C must cancel it, and nothing is saved. */
import { writeFileSync } from "node:fs";
import { Flow, LazyProject, Parameter, type TaskContext, task } from "../../../src/flow/index.js";

const fpath = Parameter<string>("fpath");
const marker = Parameter<string>("marker");

const train = task("Train", function (this: TaskContext, seen: string) {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => resolve(0.9), 600_000);
    this.signal.addEventListener("abort", () => {
      clearTimeout(timer);
      writeFileSync(seen, "aborted");
      reject(this.signal.reason);
    });
  });
});

export const flow = new Flow("Slow training", () => {
  const project = new LazyProject({ fpath, author: "ci" }).bind();
  const score = train.bind(marker);
  project.log("Slow", (exp) => exp.logMetric("score", score));
  project.save();
});
