/**
 * `lazyscribe list <project>`: the experiments as a table, one column per metric.
 *
 * @module
 */
import { Command } from "commander";
import { formatValue, jsonText } from "./format.js";
import type { CliIO } from "./io.js";
import { openProject } from "./open.js";
import {
  type ExperimentSummary,
  metricNames,
  sortRecords,
  summaries,
  withTags,
} from "./records.js";
import { type Column, renderTable } from "./table.js";

/** Options of `lazyscribe list`. */
export interface ListOptions {
  readonly sort?: string;
  readonly desc?: boolean;
  readonly tag?: string[];
  readonly json?: boolean;
}

/** The experiments of `records` to show, filtered by tag and sorted as `options` say. */
export function selectRecords(
  records: ExperimentSummary[],
  options: ListOptions,
): ExperimentSummary[] {
  const tagged = withTags(records, options.tag ?? []);
  return options.sort === undefined
    ? tagged
    : sortRecords(tagged, options.sort, options.desc === true);
}

/** The table `lazyscribe list` prints: name, slug, author, created, tags, then each metric. */
export function listTable(records: readonly ExperimentSummary[]): string {
  const metrics = metricNames(records);
  const columns: Column[] = [
    { header: "name" },
    { header: "slug" },
    { header: "author" },
    { header: "created" },
    { header: "tags" },
    ...metrics.map((m): Column => ({ header: formatValue(m), align: "right" })),
  ];
  const rows = records.map((r) => [
    formatValue(r.name),
    formatValue(r.slug),
    formatValue(r.author),
    r.created_at.replace("T", " "),
    formatValue(r.tags.join(", ")),
    ...metrics.map((m) => (Object.hasOwn(r.metrics, m) ? formatValue(r.metrics[m], true) : "")),
  ]);
  return renderTable(columns, rows);
}

/** The summary `lazyscribe list --json` prints for each experiment. */
export function listJson(records: readonly ExperimentSummary[]): string {
  const rows = records.map((r) => ({
    name: r.name,
    slug: r.slug,
    short_slug: r.short_slug,
    author: r.author,
    created_at: r.created_at,
    last_updated: r.last_updated,
    tags: r.tags,
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
    .description("show the experiments of a project as a table, one column per metric")
    .argument("<project>", "the project file")
    .option("--sort <metric>", "sort by a metric (or name, slug, author, created)")
    .option("--desc", "sort in descending order")
    .option("--tag <tag>", "only experiments with this tag (repeat for several)", collect)
    .option("--json", "print the experiments as JSON instead of a table")
    .action(async (fpath: string, options: ListOptions) => {
      const project = await openProject(fpath, io.stderr);
      const records = selectRecords(summaries(project), options);
      if (options.json === true) {
        io.stdout.write(listJson(records));
      } else if (records.length === 0) {
        io.stdout.write(
          options.tag === undefined ? "no experiments\n" : "no experiments with these tags\n",
        );
      } else {
        io.stdout.write(listTable(records));
      }
    });
}
