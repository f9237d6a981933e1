/**
 * `lazyscribe list <project>`: the experiments as a table: name, whole slug, author, created,
 * tags, then parameter and metric columns (see `columns.ts`).
 *
 * @module
 */
import { Command } from "commander";
import {
  cellValue,
  columnHeaders,
  columnNames,
  columnWidth,
  defaultColumns,
  type ListedExperiment,
  listedExperiments,
  parseColumns,
  type ValueColumn,
} from "./columns.js";
import { formatValue, jsonText } from "./format.js";
import { type CliIO, type TextSink, terminalWidth } from "./io.js";
import { openProject } from "./open.js";
import { type ExperimentSummary, sortRecords, withTags } from "./records.js";
import { type Column, renderTable } from "./table.js";

/** Options of `lazyscribe list`. */
export interface ListOptions {
  readonly sort?: string;
  readonly desc?: boolean;
  readonly tag?: string[];
  readonly json?: boolean;
  readonly columns?: string[];
}

/** The experiments of `records` to show, filtered by tag and sorted as `options` say. */
export function selectRecords<T extends ExperimentSummary>(
  records: T[],
  options: ListOptions,
): T[] {
  const tagged = withTags(records, options.tag ?? []);
  return options.sort === undefined
    ? tagged
    : sortRecords(tagged, options.sort, options.desc === true);
}

/** A cell that shows a number (or nothing). */
const NUMBER = /^(-?\d+(\.\d+)?(e[-+]?\d+)?|NaN|-?Infinity|)$/;

const BASE_HEADERS = ["name", "slug", "author", "created", "tags"];

function baseCells(r: ExperimentSummary): string[] {
  return [
    formatValue(r.name),
    formatValue(r.slug),
    formatValue(r.author),
    r.created_at.replace("T", " "),
    formatValue(r.tags.join(", ")),
  ];
}

/**
 * The table `lazyscribe list` prints: name, slug (whole, never cut: it is what `show` and
 * `compare` take), author, created, tags, then `columns` (parameters and metrics).
 */
export function listTable(
  records: readonly ListedExperiment[],
  columns: readonly ValueColumn[] = defaultColumns(records, undefined).columns,
): string {
  const headers = columnHeaders(columns);
  // Numbers line up on the right; text (and JSON) reads from the left. A number's text is
  // always a NUMBER, so only the other cells are tested.
  const numeric = columns.map(() => true);
  const rows = records.map((r) => {
    const row = baseCells(r);
    for (let i = 0; i < columns.length; i++) {
      const value = cellValue(r, columns[i] as ValueColumn);
      const text = formatValue(value, true);
      if (numeric[i] && typeof value !== "number" && typeof value !== "bigint") {
        numeric[i] = NUMBER.test(text);
      }
      row.push(text);
    }
    return row;
  });
  const table: Column[] = [
    ...BASE_HEADERS.map((header): Column => ({ header, whole: header === "slug" })),
    ...columns.map(
      (_, i): Column => ({
        header: headers[i] as string,
        align: numeric[i] ? "right" : "left",
      }),
    ),
  ];
  return renderTable(table, rows);
}

/**
 * The columns `list` shows: those `--columns` names, else the default ones fitted to the
 * terminal's width (with a note on stderr naming the differing parameters left out).
 */
export function chooseColumns(
  records: readonly ListedExperiment[],
  options: ListOptions,
  stdout: TextSink,
  stderr: TextSink,
): ValueColumn[] {
  if (options.columns !== undefined) return parseColumns(columnNames(options.columns), records);
  let budget: number | undefined;
  if (stdout.isTTY === true) {
    const cells = records.map(baseCells);
    const base = BASE_HEADERS.reduce(
      (width, header, i) =>
        width +
        (i > 0 ? 2 : 0) +
        columnWidth(
          header,
          cells.map((row) => row[i] as string),
          header === "slug" ? Number.POSITIVE_INFINITY : 40,
        ),
      0,
    );
    budget = terminalWidth(stdout) - base;
  }
  const { columns, hidden } = defaultColumns(records, budget);
  if (hidden.length > 0) {
    stderr.write(
      `note: ${hidden.length} more parameters differ between these experiments (${hidden.map((h) => formatValue(h)).join(", ")}): show them with --columns\n`,
    );
  }
  return columns;
}

/** The summary `lazyscribe list --json` prints for each experiment. */
export function listJson(
  records: readonly (ExperimentSummary & {
    readonly parameters?: Readonly<Record<string, unknown>>;
  })[],
): string {
  const rows = records.map((r) => ({
    name: r.name,
    slug: r.slug,
    short_slug: r.short_slug,
    author: r.author,
    created_at: r.created_at,
    last_updated: r.last_updated,
    tags: r.tags,
    parameters: r.parameters ?? {},
    metrics: r.metrics,
  }));
  return `${jsonText(rows, 2)}\n`;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The `list` command. */
export function listCommand(io: CliIO): Command {
  return new Command("list")
    .description("show the experiments of a project as a table, with parameters and metrics")
    .argument("<project>", "the project file")
    .option(
      "--sort <key>",
      "sort by a metric or parameter (metrics.x or params.x say which), or by name, slug, author, created",
    )
    .option("--desc", "sort in descending order")
    .option("--tag <tag>", "only experiments with this tag (repeat for several)", collect)
    .option("--json", "print the experiments as JSON instead of a table")
    .option(
      "-c, --columns <names>",
      "the parameters and metrics to show, comma-separated: lr,batch_size,auroc (metrics.x or params.x when a name is both; repeat to add more)",
      collect,
    )
    .addHelpText(
      "after",
      `
Columns: name, slug (whole: give it, or any prefix only it starts with, to show and compare),
author, created, tags, then parameters and metrics. Without --columns: the parameters whose
values differ between the experiments listed (as many as fit a terminal's width; a note on
stderr names the others), then every metric.`,
    )
    .action(async (fpath: string, options: ListOptions) => {
      const project = await openProject(fpath, io.stderr);
      const records = selectRecords(listedExperiments(project), options);
      if (options.json === true) {
        io.stdout.write(listJson(records));
      } else if (records.length === 0) {
        io.stdout.write(
          options.tag === undefined ? "no experiments\n" : "no experiments with these tags\n",
        );
      } else {
        io.stdout.write(listTable(records, chooseColumns(records, options, io.stdout, io.stderr)));
      }
    });
}
