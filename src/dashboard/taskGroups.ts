/**
 * What the flow graph says of each task beyond its name: the experiment it belongs to (the
 * experiment's own task, its logging tasks, its tests and its `Append experiment`), and for
 * a logging task what it logs (`metric` `loss`, `parameter` `lr`). Read from the tasks of
 * `lazyscribe/flow`; a flow of other objects has no groups.
 *
 * @module
 */
import { LazyExperiment } from "../flow/lazyExperiment.js";
import { LazyTest } from "../flow/lazyTest.js";
import { logFieldsOf } from "../flow/logFields.js";
import { Task } from "../flow/task.js";
import type { DashboardTask } from "./flowView.js";

/** A task of the graph: its name, its experiment group and what it logs. */
export interface TaskNode {
  /** The task's index in `flow.tasks`. */
  readonly id: number;
  /** The task's name. */
  readonly name: string;
  /** The index of its experiment's task, or `null` for a task of no experiment. */
  readonly group: number | null;
  /** What it logs (`metric`, `parameter`, `tag`, `test`, `artifact`), or `null`. */
  readonly kind: string | null;
  /** The metric's, parameter's, test's or artifact's name, or the tags; or `null`. */
  readonly key: string | null;
  /** The test it logs on, or `null`. */
  readonly test: string | null;
}

/** The experiment task a task belongs to, if any. */
function experimentOf(task: DashboardTask): LazyExperiment | undefined {
  if (task instanceof LazyExperiment) return task;
  if (task instanceof LazyTest) return task.experiment;
  if (!(task instanceof Task)) return undefined;
  for (const input of task.inputs.slice(0, 2)) {
    if (input instanceof LazyExperiment) return input;
    if (input instanceof LazyTest && input.experiment !== undefined) return input.experiment;
  }
  return undefined;
}

/** The nodes of the graph of `tasks`, with their groups and what they log. */
export function taskNodes(tasks: readonly DashboardTask[]): TaskNode[] {
  const ids = new Map<DashboardTask, number>();
  tasks.forEach((task, id) => {
    ids.set(task, id);
  });
  return tasks.map((task, id) => {
    const experiment = experimentOf(task);
    const group = experiment === undefined ? null : (ids.get(experiment) ?? null);
    const fields = task instanceof Task ? logFieldsOf(task, () => undefined) : undefined;
    return {
      id,
      name: task.name,
      group,
      kind: fields?.kind ?? null,
      key: fields?.key ?? null,
      test: fields?.test ?? null,
    };
  });
}
