/** A flow whose scoring task throws: its experiment is not appended. */
import { Flow, LazyProject, Parameter, task } from "../../../src/flow/index.js";

const fpath = Parameter<string>("fpath");

export default new Flow("Broken evaluation", () => {
  const project = new LazyProject({ fpath, author: "ci" }).bind();
  const score = task("Score model", (): number => {
    throw new Error("model diverged");
  }).bind();
  project.log("Broken", (exp) => exp.logMetric("score", score));
  project.save();
});
