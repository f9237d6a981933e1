/**
 * `lazyscribe compare <project> <slug> <slug>...`: metrics and parameters side by side, rows
 * whose values differ marked with `*`.
 *
 * @module
 */
import { Command } from "commander";
import type { ExperimentRecord } from "../format/schemas.js";
import { CliError, EXIT_USAGE } from "./fail.js";
import { clean, formatValue } from "./format.js";
import type { CliIO } from "./io.js";
import { findRecord, openProject } from "./open.js";
import { resolveSlug } from "./prefix.js";
import { type Column, renderTable } from "./table.js";

type Row = { label: string; cells: string[] };

/** What a cell shows for an experiment without that metric or parameter. */
const MISSING = "-";

/** The union of the keys of `objects`, in first-seen order. */
function keysOf(objects: readonly Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const object of objects) for (const key of Object.keys(object)) keys.add(key);
  return [...keys];
}

function rowsFor(
  prefix: string,
  objects: readonly Record<string, unknown>[],
  short: boolean,
): Row[] {
  return keysOf(objects).map((key) => ({
    label: `${prefix}${clean(key)}`,
    cells: objects.map((o) => (Object.hasOwn(o, key) ? formatValue(o[key], short) : MISSING)),
  }));
}

function testRows(records: readonly ExperimentRecord[]): Row[] {
  const names = keysOf(records.map((r) => Object.fromEntries(r.tests.map((t) => [t.name, t]))));
  return names.flatMap((name) => {
    const metrics = records.map((r) => r.tests.find((t) => t.name === name)?.metrics ?? {});
    return rowsFor(`test ${clean(name)}: `, metrics, false);
  });
}

/** The comparison table of `lazyscribe compare`. */
export function compareTable(records: readonly ExperimentRecord[]): string {
  const rows: Row[] = [
    { label: "author", cells: records.map((r) => clean(r.author)) },
    { label: "created", cells: records.map((r) => r.created_at.replace("T", " ")) },
    { label: "tags", cells: records.map((r) => clean(r.tags.join(", ")) || MISSING) },
    ...rowsFor(
      "metrics.",
      records.map((r) => r.metrics),
      false,
    ),
    ...rowsFor(
      "parameters.",
      records.map((r) => r.parameters),
      false,
    ),
    ...testRows(records),
  ];
  const columns: Column[] = [
    { header: "" },
    ...records.map((r): Column => ({ header: clean(r.slug) })),
  ];
  let differing = 0;
  const body = rows.map((row) => {
    const same = row.cells.every((c) => c === row.cells[0]);
    if (!same) differing++;
    return [`${same ? " " : "*"} ${row.label}`, ...row.cells];
  });
  const footer =
    differing === 0
      ? "no differences\n"
      : `* ${differing} of ${body.length} rows differ between the experiments\n`;
  return `${renderTable(columns, body, { maxCellWidth: 48 })}\n${footer}`;
}

/** The `compare` command. */
export function compareCommand(io: CliIO): Command {
  return new Command("compare")
    .description("show the metrics and parameters of experiments side by side, differences marked")
    .argument("<project>", "the project file")
    .argument(
      "<slugs...>",
      "two or more experiment slugs (or unique prefixes of them, or short slugs)",
    )
    .action(async (fpath: string, slugs: string[]) => {
      if (slugs.length < 2) {
        throw new CliError("compare needs at least two experiment slugs", EXIT_USAGE);
      }
      const project = await openProject(fpath);
      const records = slugs.map((slug) =>
        findRecord(project, resolveSlug(project, slug, io.stderr)),
      );
      io.stdout.write(compareTable(records));
    });
}
