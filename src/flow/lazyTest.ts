/**
 * `LazyTest`: a test of an experiment as tasks, the flow counterpart of `Test`.
 *
 * @module
 */
import { type Experiment, type JsonValue, type MetricValue, Test } from "../index.js";
import { definedOnly, requireName } from "./options.js";
import { assertOpen } from "./scope.js";
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
    const merged = { ...this.options, ...definedOnly(options) };
    const name = requireName(merged.name, "LazyTest");
    return addTask(
      "LazyTest.bind()",
      { name, inputs: [name, merged.description ?? null], run: createTest },
      (node) => new LazyTest(merged, node),
    );
  }

  /** Adds a `Log test metric` task: `test.logMetric(name, value)`, once per value. */
  logMetric(name: string, value: Input<MetricValue>): Task<MetricValue> {
    assertOpen(this, "test.logMetric()");
    return addTask<Task<MetricValue>>("test.logMetric()", {
      name: "Log test metric",
      inputs: [this, name, value],
      run: logTestMetric,
    });
  }

  /** Adds a `Log test parameter` task: `test.logParameter(name, value)`. */
  logParameter(name: string, value: Input<unknown>): Task<JsonValue> {
    assertOpen(this, "test.logParameter()");
    return addTask<Task<JsonValue>>("test.logParameter()", {
      name: "Log test parameter",
      inputs: [this, name, value],
      run: logTestParameter,
    });
  }
}

function createTest(args: unknown[]): Test {
  return new Test({ name: args[0] as string, description: args[1] as string | null });
}

function logTestMetric(args: unknown[]): MetricValue {
  (args[0] as Test).logMetric(args[1] as string, args[2] as MetricValue);
  return args[2] as MetricValue;
}

function logTestParameter(args: unknown[]): JsonValue {
  (args[0] as Test).logParameter(args[1] as string, args[2]);
  return args[2] as JsonValue;
}

/**
 * @internal Adds a finished test to an experiment through the core's `logTest`: the test's
 * metrics and parameters are logged on the experiment's new test, which the core appends.
 */
export function appendTest(args: unknown[]): Test {
  const experiment = args[0] as Experiment;
  const test = args[1] as Test;
  return experiment.logTest(
    test.name,
    (added) => {
      for (const [name, value] of Object.entries(test.metrics)) added.logMetric(name, value);
      for (const [name, value] of Object.entries(test.parameters)) added.logParameter(name, value);
    },
    { description: test.description },
  );
}
