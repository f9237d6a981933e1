/**
 * `lazyscribe export <project> --format csv|json`: the experiments and tests as rows, what
 * `project.toTabular()` gives.
 *
 * @module
 */
import { Command, Option } from "commander";
import type { Tabular } from "../project/tabular.js";
import { resolveLocation } from "../storage/index.js";
import { type CsvOptions, toCsv } from "./csv.js";
import { jsonText } from "./format.js";
import type { CliIO } from "./io.js";
import { openProject } from "./open.js";

/** Options of `lazyscribe export`. */
export interface ExportOptions {
  readonly format: "csv" | "json";
  readonly rows: "experiments" | "tests";
  readonly output?: string;
  /**
   * Neutralise CSV cells that a spreadsheet would run as a formula (default `true`;
   * `--no-csv-escape` turns it off): see {@link CsvOptions.escapeFormulas}.
   */
  readonly csvEscape?: boolean;
}

/**
 * The export text: JSON `{ experiments, tests }` (NaN and infinities as strings), or CSV of
 * the experiment rows or the test rows, with text cells that start like a formula neutralised
 * unless `csvEscape` is `false`.
 */
export function exportText(tabular: Tabular, options: ExportOptions): string {
  if (options.format === "json") return `${jsonText(tabular, 2)}\n`;
  return toCsv(tabular[options.rows], { escapeFormulas: options.csvEscape ?? true });
}

/** The `export` command. */
export function exportCommand(io: CliIO): Command {
  return new Command("export")
    .description("export the experiments and tests as rows (CSV or JSON)")
    .argument("<project>", "the project file")
    .addOption(
      new Option("--format <format>", "the output format").choices(["csv", "json"]).default("csv"),
    )
    .addOption(
      new Option("--rows <rows>", "which rows to write as CSV (JSON has both)")
        .choices(["experiments", "tests"])
        .default("experiments"),
    )
    .option("-o, --output <file>", "write to this file instead of standard output")
    .option(
      "--no-csv-escape",
      "write CSV text cells starting with =, +, -, @, tab or CR as they are (by default they get a leading ' against formula injection)",
    )
    .action(async (fpath: string, options: ExportOptions) => {
      const text = exportText((await openProject(fpath)).toTabular(), options);
      if (options.output === undefined) {
        io.stdout.write(text);
      } else {
        const { storage, path } = resolveLocation(options.output);
        await storage.write(path, text);
      }
    });
}
