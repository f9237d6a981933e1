/**
 * Run as a separate process by the dashboard tests: opens a project in mode "a", logs one
 * experiment and saves, as another user's process would.
 *
 *   node --import tsx test/dashboard/appendExperiment.ts <project file> <name> [auroc]
 */
import { Project } from "../../src/index.js";

const [fpath, name, auroc = "0.75"] = process.argv.slice(2);
if (fpath === undefined || name === undefined)
  throw new Error("usage: <project file> <name> [auroc]");
const project = await Project.open(fpath, { mode: "a", author: "other-process" });
project.log(name, (exp) => {
  exp.logMetric("auroc", Number(auroc));
  exp.tag("from-another-process");
});
await project.save();
process.stdout.write(`${performance.timeOrigin + performance.now()}\n`);
