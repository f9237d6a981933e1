/**
 * The seed's flow, with a test, a tag and a parameter: the flow the graph tests pin down.
 */
import { Flow, LazyProject, task } from "../../src/flow/index.js";

/** The seed's flow plus a test, a tag and a parameter, and its main tasks. */
export function seedFlow(fpath = "memory://flow-tests/seed/project.json") {
  const initProject = new LazyProject({ fpath, author: "alice" });
  const score = task("Score model", () => 0.93);
  const refs = {} as {
    project: LazyProject;
    experiment: import("../../src/flow/index.js").LazyExperiment;
    test: import("../../src/flow/index.js").LazyTest;
  };
  const flow = new Flow("My experiment logging", () => {
    const project = initProject.bind();
    const s = score.bind();
    refs.project = project;
    refs.experiment = project.log("My experiment", (exp) => {
      exp.logMetric("build_time", "10M");
      exp.logMetric("score", s);
      exp.logParameter("algorithm", "lightgbm");
      exp.tag("baseline");
      refs.test = exp.logTest(
        "My test",
        (test) => {
          test.logMetric("subpop", 0.7);
          test.logParameter("population", "age < 30");
        },
        { description: "age < 30" },
      );
    });
    project.toTabular();
    project.save();
  });
  return { flow, ...refs };
}
