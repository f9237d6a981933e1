/**
 * How `console.log` and `util.inspect` show lazyscribe's objects: what the user logged (names,
 * slugs, metrics, parameters, tags...), never the internals. Node looks up the
 * `nodejs.util.inspect.custom` symbol, so the model does not import `node:util`.
 *
 * @module
 */
import type { ExperimentRecord } from "../format/schemas.js";

/** The symbol Node's `util.inspect` calls (`util.inspect.custom`). */
export const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/** The options Node passes to a custom inspect function (the part used here). */
export interface InspectOptions {
  readonly depth?: number | null;
  readonly [option: string]: unknown;
}

/** Node's `util.inspect`, as passed to a custom inspect function. */
export type InspectFunction = (value: unknown, options: InspectOptions) => string;

/**
 * Shows `fields` as `Label { field: value, ... }` with Node's own formatting and the caller's
 * options (colours, depth). Below the depth limit, just `[Label name]`.
 */
export function inspectFields(
  label: string,
  title: string,
  fields: Record<string, unknown>,
  depth: number,
  options: InspectOptions,
  inspect: InspectFunction,
): string {
  if (depth < 0) return `[${label} ${title}]`;
  const inner = { ...options, depth: options.depth == null ? options.depth : options.depth - 1 };
  return `${label} ${inspect(fields, inner)}`;
}

/** What is shown of an experiment: what was logged, tests and artifacts by name. */
export function experimentFields(
  record: ExperimentRecord,
  readOnly: boolean,
): Record<string, unknown> {
  const { name, slug, author, metrics, parameters, tags, dependencies } = record;
  return {
    name,
    slug,
    author,
    createdAt: record.created_at,
    metrics,
    parameters,
    tags,
    tests: record.tests.map((t) => `${t.name}`),
    artifacts: record.artifacts.map((a) => a.name),
    dependencies,
    readOnly,
  };
}
