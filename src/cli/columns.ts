/**
 * Which parameters and metrics `lazyscribe list` shows as columns. `--columns lr,batch_size,auroc`
 * names them: a bare name is the metric or parameter of that name (`metrics.` or `params.` in
 * front says which when a name is both); the option may be repeated. By default the table
 * shows the parameters whose values differ between the listed experiments (a learning-rate
 * sweep shows its learning rate), as many as fit the terminal's width, then every metric.
 *
 * @module
 */
import type { MetricValue } from "../format/schemas.js";
import type { Project } from "../project/project.js";
import { CliError, EXIT_USAGE } from "./fail.js";
import { clean, formatValue } from "./format.js";
import { type ExperimentSummary, summaries } from "./records.js";
import { displayWidth, truncate } from "./table.js";

/** An experiment as `list` shows it: its summary and its parameters (none when not read). */
export interface ListedExperiment extends ExperimentSummary {
  readonly parameters?: Readonly<Record<string, unknown>>;
}

const NONE: Readonly<Record<string, unknown>> = Object.freeze({});

/** The summaries of a project's experiments with their parameters, in the project's order. */
export function listedExperiments(project: Project): ListedExperiment[] {
  // From each record as read where there is one: building every experiment would cost more
  // than the listing itself.
  const slots = project.slots;
  return summaries(project).map((summary, i) => {
    const slot = slots[i];
    return {
      ...summary,
      parameters: slot?.record?.parameters ?? slot?.experiment.parameters ?? NONE,
    };
  });
}

/** One parameter or metric column of the list. */
export interface ValueColumn {
  readonly source: "params" | "metrics";
  readonly name: string;
}

/** The prefixes `--columns` takes in front of a name, and what they pick. */
const SOURCES: Record<string, ValueColumn["source"]> = {
  "params.": "params",
  "parameters.": "params",
  "metrics.": "metrics",
};

/** Every key of `objects`, in first-seen order. */
function keysOf(objects: Iterable<Readonly<Record<string, unknown>>>): string[] {
  const keys = new Set<string>();
  for (const object of objects) for (const key of Object.keys(object)) keys.add(key);
  return [...keys];
}

/** Splits `--columns` values (each a comma-separated list) into names, without blanks. */
export function columnNames(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(",").map((name) => name.trim())).filter(Boolean);
}

/**
 * The columns `--columns` names, in its order.
 *
 * @throws CliError (a usage error) for a name no experiment has as a parameter or metric, or
 *   a bare name that is both (naming what there is).
 */
export function parseColumns(
  names: readonly string[],
  records: readonly ListedExperiment[],
): ValueColumn[] {
  const metrics = new Set(keysOf(records.map((r) => r.metrics)));
  const params = new Set(keysOf(records.map((r) => r.parameters ?? NONE)));
  const has = { metrics, params };
  return names.map((text): ValueColumn => {
    const prefix = Object.keys(SOURCES).find((p) => text.startsWith(p));
    if (prefix !== undefined) {
      const source = SOURCES[prefix] as ValueColumn["source"];
      const name = text.slice(prefix.length);
      if (has[source].has(name)) return { source, name };
      throw unknownColumn(text, metrics, params);
    }
    if (metrics.has(text) && params.has(text)) {
      throw new CliError(
        `--columns: "${clean(text)}" is both a metric and a parameter: write metrics.${clean(text)} or params.${clean(text)}`,
        EXIT_USAGE,
      );
    }
    if (metrics.has(text)) return { source: "metrics", name: text };
    if (params.has(text)) return { source: "params", name: text };
    throw unknownColumn(text, metrics, params);
  });
}

function unknownColumn(text: string, metrics: Set<string>, params: Set<string>): CliError {
  const list = (names: Set<string>) => [...names].map(clean).join(", ") || "none";
  return new CliError(
    `--columns: no experiment has "${clean(text)}" (metrics: ${list(metrics)}; parameters: ${list(params)})`,
    EXIT_USAGE,
  );
}

/** Whether two JSON values are equal (NaN equals NaN; object keys in any order). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((key) => Object.hasOwn(y, key) && sameValue(x[key], y[key]));
}

/** The parameters whose values (or presence) are not the same in every record. */
export function differingParameters(records: readonly ListedExperiment[]): string[] {
  const all = records.map((r) => r.parameters ?? NONE);
  const [first = NONE] = all;
  // A parameter is never undefined (JSON has none): undefined is a missing one. Plain reads
  // only, as the experiments' read-only views answer them fastest.
  return keysOf(all).filter((name) => {
    const value = first[name];
    return all.some((p) => !sameValue(p[name], value));
  });
}

/** The value a cell shows: the metric or parameter, `undefined` when the experiment has none. */
export function cellValue(record: ListedExperiment, column: ValueColumn): unknown {
  const values =
    column.source === "metrics"
      ? (record.metrics as Readonly<Record<string, MetricValue | unknown>>)
      : (record.parameters ?? NONE);
  return Object.hasOwn(values, column.name) ? values[column.name] : undefined;
}

/** What a cell shows: the value, numbers short; empty when the experiment has none. */
export function cellText(record: ListedExperiment, column: ValueColumn): string {
  return formatValue(cellValue(record, column), true);
}

/** Headers: the name, or `params.x` and `metrics.x` when a parameter and a metric share it. */
export function columnHeaders(columns: readonly ValueColumn[]): string[] {
  const counts = new Map<string, number>();
  for (const c of columns) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  return columns.map((c) =>
    clean((counts.get(c.name) ?? 0) > 1 ? `${c.source}.${c.name}` : c.name),
  );
}

/** The width a column takes in the table: its widest cell or header (cells cut at `max`). */
export function columnWidth(header: string, cells: readonly string[], max = 40): number {
  let width = displayWidth(truncate(header, max));
  for (const cell of cells) width = Math.max(width, displayWidth(truncate(cell, max)));
  return width;
}

/**
 * The default columns: every metric, and before them as many of the differing parameters as
 * fit in `budget` terminal columns (all of them without a budget, for a pipe or a file).
 * Returns the columns and the differing parameters left out.
 */
export function defaultColumns(
  records: readonly ListedExperiment[],
  budget: number | undefined,
  gap = 2,
): { columns: ValueColumn[]; hidden: string[] } {
  const metrics = keysOf(records.map((r) => r.metrics))
    .sort()
    .map((name): ValueColumn => ({ source: "metrics", name }));
  const differing = differingParameters(records).map(
    (name): ValueColumn => ({ source: "params", name }),
  );
  if (budget === undefined) return { columns: [...differing, ...metrics], hidden: [] };
  let left = budget;
  for (const metric of metrics) {
    left -=
      gap +
      columnWidth(
        metric.name,
        records.map((r) => cellText(r, metric)),
      );
  }
  const shown: ValueColumn[] = [];
  const hidden: string[] = [];
  for (const param of differing) {
    const width =
      gap +
      columnWidth(
        param.name,
        records.map((r) => cellText(r, param)),
      );
    if (hidden.length === 0 && width <= left) {
      shown.push(param);
      left -= width;
    } else {
      hidden.push(param.name);
    }
  }
  return { columns: [...shown, ...metrics], hidden };
}
