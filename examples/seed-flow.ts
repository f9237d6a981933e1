/**
 * The seed's flow (lazyscribe's Prefect integration, on RxJS), with a test, a tag and a
 * parameter: it logs one experiment whose score comes from a task, and saves the project.
 * Prints the graph (Mermaid), each task's final state and the saved experiments.
 *
 * Run with `npx tsx examples/seed-flow.ts [project file]`.
 */
import { Flow, LazyProject, Parameter, task } from "../src/flow/index.js";

const fpath = Parameter("fpath", { default: "examples/output/seed-flow.json" });
const initProject = new LazyProject({ fpath, author: "alice" });
const scoreModel = task("Score model", async () => 0.93);

const flow = new Flow("My experiment logging", () => {
  const project = initProject.bind();
  const score = scoreModel.bind();
  project.log("My experiment", (exp) => {
    exp.logMetric("build_time", "10M");
    exp.logMetric("score", score);
    exp.logParameter("algorithm", "lightgbm");
    exp.tag("baseline");
    exp.logTest("My test", (test) => test.logMetric("subpop", 0.7), {
      description: "age < 30",
    });
  });
  project.save();
});

console.log(flow.toMermaid());

const parameters = process.argv[2] === undefined ? {} : { fpath: process.argv[2] };
const state = await flow.run({ parameters });
for (const t of flow.tasks) console.log(`${state.taskState(t).status.padEnd(9)} ${t.name}`);
console.log(`\n${state.message}`);

const [project] = flow.getTasks({ name: "Open project" });
const saved = state.result(project as LazyProject);
console.log(`Saved to ${saved.fpath}:\n${JSON.stringify([...saved], null, 4)}`);
