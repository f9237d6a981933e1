/**
 * The README's main job: a flow that tunes a model's learning rate and logs one experiment per
 * rate to a local project — parameters, the accuracy, the loss curve streamed epoch by epoch,
 * a tag, and a test on a subgroup — then saves the project and shows what it holds.
 *
 * Run with `npm run example` or `npx tsx examples/main.ts [project file]`. Each run adds its
 * experiments to the project (mode "a"): run it twice and the table grows.
 */
import { from } from "rxjs";
import { Flow, LazyProject, Parameter, task } from "../src/flow/index.js";
import { Project } from "../src/index.js";
import {
  accuracy,
  type Fit,
  fitGradientDescent,
  makeClassification,
  type Split,
  split,
  subset,
} from "./model.js";

const RATES = [0.005, 0.02, 0.08];
const EPOCHS = 25;

const fpath = Parameter("fpath", { default: "examples/output/project.json" });
const initProject = new LazyProject({ fpath, mode: "a", author: "examples" });

const generateData = task("Generate data", (samples: number, features: number) =>
  split(makeClassification(samples, features, 7), 0.8),
);
const train = task("Train model", (data: Split, rate: number) =>
  fitGradientDescent(data.train, rate, EPOCHS),
);
// The loss curve as it grew, one emission per epoch: the metric follows it live.
const lossCurve = task("Loss curve", (fit: Fit) =>
  from(fit.losses.map((_, epoch) => fit.losses.slice(0, epoch + 1))),
);
const score = task("Score model", (fit: Fit, data: Split) => accuracy(fit.model, data.test));
const scoreSubgroup = task("Score subgroup", (fit: Fit, data: Split) =>
  accuracy(fit.model, subset(data.test, 0, 1)),
);

const flow = new Flow("Tune the learning rate", () => {
  const project = initProject.bind();
  const data = generateData.bind(2000, 8);
  for (const rate of RATES) {
    const fit = train.bind(data, rate);
    project.log(`Gradient descent, rate ${rate}`, (exp) => {
      exp.logParameter("learning_rate", rate);
      exp.logParameter("epochs", EPOCHS);
      exp.logMetric("loss", lossCurve.bind(fit));
      exp.logMetric("accuracy", score.bind(fit, data));
      exp.tag("gradient-descent");
      exp.logTest(
        "First feature above 1",
        (test) => test.logMetric("accuracy", scoreSubgroup.bind(fit, data)),
        { description: "test samples with x0 > 1" },
      );
    });
  }
  project.save();
});

const parameters = process.argv[2] === undefined ? {} : { fpath: process.argv[2] };
const state = await flow.run({ parameters });
const failed = flow.tasks.filter((t) => state.taskState(t).status !== "succeeded");
console.log(
  `${state.message} (${flow.tasks.length - failed.length} of ${flow.tasks.length} tasks succeeded)`,
);
if (!state.isSuccessful()) process.exit(1);

const [opened] = flow.getTasks({ name: "Open project" });
const saved = state.result(opened as LazyProject) as Project;
const reread = await Project.open(saved.fpath, { mode: "r" });
const { experiments, tests } = reread.toTabular();
const testAccuracy = new Map(tests.map((t) => [t.experiment_slug, t["metrics.accuracy"]]));
console.log(`\n${reread.size} experiments in ${reread.fpath}:`);
console.table(
  experiments.map((row) => {
    const loss = row["metrics.loss"];
    return {
      slug: row.slug,
      learning_rate: row["parameters.learning_rate"],
      accuracy: row["metrics.accuracy"],
      final_loss: Array.isArray(loss) ? loss.at(-1) : loss,
      "x0 > 1 accuracy": testAccuracy.get(row.slug as string),
    };
  }),
);
console.log("See them in a browser with: npx tsx src/cli/main.ts serve", reread.fpath);
