/**
 * `lazyscribe show <project> <slug>`: one experiment in full, with its tests and artifacts.
 *
 * @module
 */
import { Command } from "commander";
import type { ArtifactRecord, ExperimentRecord, TestRecord } from "../format/schemas.js";
import { clean, formatValue, jsonText } from "./format.js";
import type { CliIO } from "./io.js";
import { findRecord, openProject } from "./open.js";
import { resolveSlug } from "./prefix.js";
import { renderTable } from "./table.js";

/** Key-value lines, keys padded to one width, indented by `indent`. */
function fields(entries: readonly [string, string][], indent = "  "): string[] {
  const width = Math.max(0, ...entries.map(([k]) => [...k].length));
  return entries.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`.trimEnd());
}

function section(title: string, body: readonly string[], empty: string): string[] {
  return ["", title, ...(body.length > 0 ? body : [`  ${empty}`])];
}

function values(record: Record<string, unknown>): [string, string][] {
  return Object.entries(record).map(([k, v]) => [clean(k), formatValue(v)]);
}

/** The artifact metadata as a table: name, handler, version, file, created, expiry. */
export function artifactTable(artifacts: readonly ArtifactRecord[], indent = "  "): string[] {
  if (artifacts.length === 0) return [];
  const table = renderTable(
    [
      { header: "name" },
      { header: "handler" },
      { header: "version", align: "right" },
      { header: "file" },
      { header: "created" },
      { header: "expiry" },
    ],
    artifacts.map((a) => [
      formatValue(a.name),
      formatValue(a.handler),
      a.version === undefined ? "" : String(a.version),
      formatValue(a.fname),
      formatValue(a.created_at),
      a.expiry === undefined || a.expiry === null ? "" : formatValue(a.expiry),
    ]),
    { maxCellWidth: 60 },
  );
  return table
    .trimEnd()
    .split("\n")
    .map((line) => indent + line);
}

function testLines(test: TestRecord): string[] {
  const title =
    test.description === null
      ? clean(test.name)
      : `${clean(test.name)}: ${clean(test.description)}`;
  const lines = [`  ${title}`];
  const metrics = values(test.metrics);
  const parameters = values(test.parameters);
  if (metrics.length > 0) lines.push("    metrics", ...fields(metrics, "      "));
  if (parameters.length > 0) lines.push("    parameters", ...fields(parameters, "      "));
  if (test.artifacts.length > 0)
    lines.push("    artifacts", ...artifactTable(test.artifacts, "      "));
  return lines;
}

/** What `lazyscribe show` prints for one experiment record. */
export function showText(record: ExperimentRecord): string {
  const updated =
    record.last_updated === record.created_at && record.last_updated_by === record.author
      ? "-"
      : `${record.last_updated} by ${clean(record.last_updated_by)}`;
  const lines = [
    clean(record.name),
    ...fields([
      ["slug", clean(record.slug)],
      ["short slug", clean(record.short_slug)],
      ["author", clean(record.author)],
      ["created", record.created_at],
      ["updated", updated],
      ["tags", record.tags.length > 0 ? clean(record.tags.join(", ")) : "-"],
      [
        "dependencies",
        record.dependencies.length > 0 ? clean(record.dependencies.join(", ")) : "-",
      ],
    ]),
    ...section("Metrics", fields(values(record.metrics)), "none"),
    ...section("Parameters", fields(values(record.parameters)), "none"),
    ...section(`Tests (${record.tests.length})`, record.tests.flatMap(testLines), "none"),
    ...section(`Artifacts (${record.artifacts.length})`, artifactTable(record.artifacts), "none"),
  ];
  return `${lines.join("\n")}\n`;
}

/** The `show` command. */
export function showCommand(io: CliIO): Command {
  return new Command("show")
    .description("show one experiment in full: metrics, parameters, tests and artifacts")
    .argument("<project>", "the project file")
    .argument(
      "<slug>",
      "the experiment's slug, any prefix only its slug starts with, or its short slug (the latest run of that name)",
    )
    .option("--json", "print the experiment's record as JSON")
    .action(async (fpath: string, slug: string, options: { json?: boolean }) => {
      const project = await openProject(fpath, io.stderr);
      const record = findRecord(project, resolveSlug(project, slug, io.stderr));
      io.stdout.write(options.json === true ? `${jsonText(record, 2)}\n` : showText(record));
    });
}
