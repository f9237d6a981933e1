/**
 * `project.toTabular()`: experiments and tests as flat rows, ready for a table, a CSV file or
 * a data frame — Python lazyscribe's `to_tabular`, with `"metrics.<name>"` and
 * `"parameters.<name>"` as column names instead of Python's tuples.
 *
 * @module
 */
import type { ExperimentRecord, JsonValue, MetricValue, TestRecord } from "../format/schemas.js";

/** One row: column name to value. */
export type TabularRow = Record<string, MetricValue | JsonValue>;

/** The rows of a project: one per experiment, and one per test. */
export interface Tabular {
  /** One row per experiment: its fields, its metrics and its scalar parameters. */
  readonly experiments: TabularRow[];
  /** One row per test: its experiment's name and slugs, then the test's own columns. */
  readonly tests: TabularRow[];
}

function isScalar(value: JsonValue): boolean {
  return value === null || typeof value !== "object";
}

function addColumns(
  row: TabularRow,
  prefix: string,
  values: Record<string, JsonValue>,
  scalarsOnly: boolean,
): void {
  for (const key of Object.keys(values)) {
    const value = values[key] as JsonValue;
    if (!scalarsOnly || isScalar(value)) {
      row[`${prefix}.${key}`] = value;
    }
  }
}

/**
 * Flattens experiment records into rows. Experiment rows hold `name`, `short_slug`, `slug`,
 * `author`, `last_updated_by`, `created_at`, `last_updated`, every metric and every parameter
 * that is not a list or an object. Test rows hold `experiment_name`,
 * `experiment_short_slug`, `experiment_slug`, `test`, `description`, every metric and every
 * scalar parameter of the test.
 */
export function toTabular(records: Iterable<ExperimentRecord>): Tabular {
  const experiments: TabularRow[] = [];
  const tests: TabularRow[] = [];
  for (const exp of records) {
    const row: TabularRow = {
      name: exp.name,
      short_slug: exp.short_slug,
      slug: exp.slug,
      author: exp.author,
      last_updated_by: exp.last_updated_by,
      created_at: exp.created_at,
      last_updated: exp.last_updated,
    };
    addColumns(row, "metrics", exp.metrics as Record<string, JsonValue>, false);
    addColumns(row, "parameters", exp.parameters, true);
    experiments.push(row);
    for (const test of exp.tests as TestRecord[]) {
      const testRow: TabularRow = {
        experiment_name: exp.name,
        experiment_short_slug: exp.short_slug,
        experiment_slug: exp.slug,
        test: test.name,
        description: test.description,
      };
      addColumns(testRow, "metrics", test.metrics as Record<string, JsonValue>, false);
      addColumns(testRow, "parameters", test.parameters, true);
      tests.push(testRow);
    }
  }
  return { experiments, tests };
}
