/**
 * What the events of a logging task say about it: the experiment (name, and slug once it
 * exists in the run), the test, the kind of value and its key. Read from the task's inputs
 * (the experiment or test task, then the key), so that recording a task stores nothing more.
 *
 * @module
 */
import type { LogFields } from "./events.js";
import { LazyExperiment } from "./lazyExperiment.js";
import { LazyTest } from "./lazyTest.js";
import type { TaskSpec } from "./spec.js";
import { Task } from "./task.js";

/**
 * @internal The logging fields of `task`'s events, or `undefined` for a task that logs
 * nothing; `slugOf` gives the slug of an experiment task's experiment in the run.
 */
export function logFieldsOf(
  task: Task<unknown>,
  slugOf: (experiment: Task<unknown>) => string | undefined,
): LogFields | undefined {
  const spec: TaskSpec = task;
  const kind = spec.logKind;
  if (kind === undefined) return undefined;
  const [owner, key, value] = spec.inputs;
  const test = owner instanceof LazyTest ? owner : undefined;
  const experiment = test?.experiment ?? (owner instanceof LazyExperiment ? owner : undefined);
  if (experiment === undefined) return undefined;
  const slug = slugOf(experiment);
  const fields: LogFields = {
    experiment: slug === undefined ? { name: experiment.name } : { name: experiment.name, slug },
    kind,
    key: keyOf(spec.name, key, value),
  };
  return test === undefined ? fields : { ...fields, test: test.name };
}

/** The key a logging task logs under, from its inputs. */
function keyOf(name: string, key: unknown, value: unknown): string | undefined {
  switch (name) {
    case "Add tag":
      if (typeof value === "string") return value;
      return Array.isArray(value) ? value.join(", ") : undefined;
    case "Log artifact":
      return (key as [string])[0];
    case "Append test":
      return key instanceof Task ? key.name : undefined;
    default:
      return typeof key === "string" ? key : undefined;
  }
}
