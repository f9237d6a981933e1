/** A flow that logs one experiment with a streamed metric, and saves. */
import { of } from "rxjs";
import { Flow, LazyProject, Parameter, task } from "../../../src/flow/index.js";

const fpath = Parameter<string>("fpath");

export const flow = new Flow("Nightly evaluation", () => {
  const project = new LazyProject({ fpath, author: "ci" }).bind();
  const score = task("Score model", () => 0.93).bind();
  project.log("Nightly", (exp) => {
    exp.logMetric("score", score);
    exp.logMetric("loss", of(0.9, 0.5, 0.25));
  });
  project.save();
});
