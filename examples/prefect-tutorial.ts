/**
 * The Python integration's tutorial, in TypeScript: generate data, train a model, score it,
 * and log the score of the trained model — each step a task of one flow.
 *
 * The model is plain TypeScript: a linear classifier fitted by least squares on generated
 * two-class data. Run with `npx tsx examples/prefect-tutorial.ts [project file]`.
 */
import { Flow, LazyProject, task } from "../src/flow/index.js";
import { accuracy, type Data, fitLeastSquares, type Model, makeClassification } from "./model.js";

// First, tasks to generate fake data, train an estimator, and score the model.
const generateData = task("Generate data", (samples: number, features: number) =>
  makeClassification(samples, features, 42),
);
const fitModel = task("Train model", (data: Data) => fitLeastSquares(data));
const scoreModel = task("Score model", (model: Model, data: Data) => accuracy(model, data));

// Next, a flow that fits the model and logs the score.
const initProject = new LazyProject({
  fpath: process.argv[2] ?? "examples/output/prefect-tutorial.json",
  author: "The Best",
});
const flow = new Flow("Fit estimator", () => {
  const project = initProject.bind();
  project.log("Base performance", (exp) => {
    const data = generateData.bind(1000, 10);
    const model = fitModel.bind(data);
    const score = scoreModel.bind(model, data);
    exp.logMetric("score", score);
    exp.logParameter("algorithm", "least squares");
  });
  project.save();
});

// Let's run the flow.
const state = await flow.run();
if (!state.isSuccessful()) throw state.error;

// And print the experiment.
const [project] = flow.getTasks({ name: "Open project" });
console.log(JSON.stringify([...state.result(project as LazyProject)], null, 4));
