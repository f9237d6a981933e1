/**
 * `LazyTest`: a test of an experiment as tasks, the flow counterpart of `Test`.
 *
 * @module
 */
import { type Experiment, type JsonValue, type MetricValue, Test } from "../index.js";
import type { LazyExperiment } from "./lazyExperiment.js";
import { logMetricInput, type MetricInput } from "./metricStep.js";
import { definedOnly, requireName } from "./options.js";
import { assertOpen } from "./scope.js";
import type { LogKind } from "./spec.js";
import { addTask, type Input, Task, type TaskNode } from "./task.js";

/** Options of a {@link LazyTest}. */
export interface LazyTestOptions {
  /** The test's name (the name of its task). */
  readonly name?: string;
  /** What the test measures. */
  readonly description?: Input<string | null>;
}

/**
 * A test as a task: its result is a `Test`. Made by `exp.logTest(name, body)`, whose body
 * gets it; each logging method adds a task downstream of it, and `Append test` waits for them.
 */
export class LazyTest extends Task<Test> {
  /** The options this test was made (or bound) with. */
  readonly options: LazyTestOptions;
  /** The experiment whose `logTest` made it, if any. */
  #experiment: LazyExperiment | undefined;

  /** A template; `bind()` it in a builder (or use `exp.logTest(...)`). */
  constructor(options: LazyTestOptions = {}, node?: TaskNode) {
    super(options.name ?? "LazyTest", node);
    this.options = options;
  }

  /**
   * Adds the task that creates the test.
   *
   * @throws FlowError without a name; FlowContextError outside a builder.
   */
  bind(options: LazyTestOptions = {}): LazyTest {
    return this.#bind(options, undefined);
  }

  /** @internal The test of `exp.logTest(name, ...)`: folded into the experiment's body. */
  static inExperiment(
    experiment: LazyExperiment,
    name: string,
    description: Input<string | null> | undefined,
  ): LazyTest {
    return new LazyTest({ name }).#bind({ description }, experiment);
  }

  #bind(options: LazyTestOptions, experiment: LazyExperiment | undefined): LazyTest {
    const merged = { ...this.options, ...definedOnly(options) };
    const name = requireName(merged.name, "LazyTest");
    const test = addTask(
      "LazyTest.bind()",
      {
        name,
        inputs: [name, merged.description ?? null],
        bookkeeping: true,
        body: experiment?.owns,
        work: createTest,
      },
      (node) => new LazyTest(merged, node),
    );
    test.#experiment = experiment;
    return test;
  }

  /**
   * Adds a `Log test metric` task: `test.logMetric(name, value)`, once per value; a stream's
   * values join the metric's history as on an experiment (`{ step, value }` gives the step).
   */
  logMetric(name: string, value: Input<MetricInput>): Task<MetricValue> {
    return this.#add("test.logMetric()", "Log test metric", "metric", name, value, logTestMetric);
  }

  /** Adds a `Log test parameter` task: `test.logParameter(name, value)`. */
  logParameter(name: string, value: Input<unknown>): Task<JsonValue> {
    return this.#add(
      "test.logParameter()",
      "Log test parameter",
      "parameter",
      name,
      value,
      logTestParameter,
    );
  }

  /** @internal The experiment whose `logTest` made this test, if any. */
  get experiment(): LazyExperiment | undefined {
    return this.#experiment;
  }

  #add<V, R>(
    what: string,
    name: string,
    kind: LogKind,
    key: string,
    value: Input<V>,
    work: (args: readonly [Test, string, V]) => R,
  ): Task<R> {
    assertOpen(this, what);
    const experiment = this.#experiment;
    return addTask(what, {
      name,
      inputs: [this, key, value],
      bookkeeping: true,
      body: experiment?.owns,
      logKind: experiment === undefined ? undefined : kind,
      work,
    });
  }
}

function createTest(args: readonly [name: string, description: string | null]): Test {
  return new Test({ name: args[0], description: args[1] });
}

// Indexed rather than destructured: see lazyExperiment.ts.

function logTestMetric(args: readonly [test: Test, name: string, value: MetricInput]) {
  return logMetricInput(args[0], args[1], args[2]);
}

/** Gives what the core keeps: its JSON copy of the value (set, as the call just stored it). */
function logTestParameter(args: readonly [test: Test, name: string, value: unknown]): JsonValue {
  return args[0].logParameter(args[1], args[2]).parameters[args[1]] ?? null;
}

/**
 * @internal Adds a finished test to an experiment through the core's `logTest`: the test's
 * metrics (each value of their history, at its step and time) and parameters are logged on
 * the experiment's new test, which the core appends.
 */
export function appendTest(experiment: Experiment, test: Test): Test {
  return experiment.logTest(
    test.name,
    (added) => {
      for (const [name, value] of Object.entries(test.metrics)) {
        const points = test.recordedMetricHistory(name);
        if (points === undefined) added.logMetric(name, value);
        for (const p of points ?? []) added.logMetricAt(name, p.value, p.step, p.time as number);
      }
      for (const [name, value] of Object.entries(test.parameters)) added.logParameter(name, value);
    },
    { description: test.description },
  );
}
