/**
 * Learning-rate sweeps: each experiment logs two parameters, a tag and two metrics of its own
 * training task, then the project is saved once. `flow` has 500 experiments (what `lazyscribe
 * run` prints for a long run is measured on it); `small` has 3; in `diverging`, 2 of 5
 * experiments fail (their training throws) and the others are saved; in `collapsing`, 4 of 12.
 */
import { Flow, LazyProject, Parameter, task } from "../../../src/flow/index.js";

const train = task("Train", (lr: number) => ({ auroc: 0.5 + lr, loss: 1 - lr }));
const diverge = task("Train", (lr: number): { auroc: number; loss: number } => {
  if (lr > 0.35) throw new Error(`loss diverged at lr=${lr}`);
  return { auroc: 0.5 + lr, loss: 1 - lr };
});
const pick = task("Pick", (scores: Record<string, number>, name: string) => scores[name] as number);

function sweep(name: string, count: number, training: typeof train): Flow {
  return new Flow(name, () => {
    const fpath = Parameter<string>("fpath");
    const project = new LazyProject({ fpath, author: "ci" }).bind();
    for (let i = 1; i <= count; i++) {
      const lr = Math.round((i / count) * 0.5 * 1e6) / 1e6;
      const scores = training.bind(lr);
      project.log(`lr ${lr}`, (exp) => {
        exp.logParameter("lr", lr);
        exp.logParameter("batch_size", 32);
        exp.tag("sweep");
        exp.logMetric("auroc", pick.bind(scores, "auroc"));
        exp.logMetric("loss", pick.bind(scores, "loss"));
      });
    }
    project.save();
  });
}

export const flow = sweep("Learning-rate sweep", 500, train);
export const small = sweep("Small sweep", 3, train);
export const diverging = sweep("Diverging sweep", 5, diverge);
export const collapsing = sweep("Collapsing sweep", 12, diverge);
