/**
 * `lazyscribe merge <project> <project>... -o <file>`: merges projects by Python lazyscribe's
 * rule (the newest record of each slug) and writes the result to a new file; each record it
 * does not keep is named on stderr.
 *
 * @module
 */
import { Command } from "commander";
import { formatTimestamp } from "../format/timestamps.js";
import { Project } from "../project/project.js";
import { CliError, EXIT_USAGE } from "./fail.js";
import type { CliIO } from "./io.js";
import { openProject } from "./open.js";

/** What a merge wrote, and the records it did not keep. */
export interface MergeResult {
  /** How many experiments the output holds. */
  readonly count: number;
  /** One line per record left out: its slug and file, and the record kept instead. */
  readonly dropped: readonly string[];
}

/**
 * Merges the project files `inputs` into `output` (replaced if it exists) and says how many
 * experiments it wrote and which records it did not keep.
 */
export async function mergeFiles(inputs: readonly string[], output: string): Promise<MergeResult> {
  const projects: Project[] = [];
  for (const fpath of inputs) projects.push(await openProject(fpath));
  const [first, ...others] = projects as [Project, ...Project[]];
  const merged = first.merge(...others);
  const target = await Project.open(output, { mode: "w", author: first.author });
  for (const experiment of merged.experiments) target.append(experiment);
  await target.save();
  const dropped = merged.dropped.map(({ dropped, from, kept }) => {
    const keptFrom =
      kept === undefined ? undefined : projects.find((p) => p.experiments.includes(kept));
    const instead =
      kept === undefined
        ? ""
        : `; kept the record last updated ${formatTimestamp(kept.lastUpdated)} from ${keptFrom?.fpath ?? "?"}`;
    return `dropped ${dropped.slug} from ${inputs[from]} (last updated ${formatTimestamp(dropped.lastUpdated)})${instead}`;
  });
  return { count: target.size, dropped };
}

/** The `merge` command. */
export function mergeCommand(io: CliIO): Command {
  return new Command("merge")
    .description("merge projects (the newest record of each experiment wins) into a new file")
    .argument("<projects...>", "two or more project files")
    .requiredOption("-o, --output <file>", "the project file to write (replaced if it exists)")
    .action(async (inputs: string[], options: { output: string }) => {
      if (inputs.length < 2) {
        throw new CliError("merge needs at least two project files", EXIT_USAGE);
      }
      const { count, dropped } = await mergeFiles(inputs, options.output);
      for (const line of dropped) io.stderr.write(`${line}\n`);
      io.stdout.write(
        `merged ${inputs.length} projects into ${options.output}: ${count} experiment${count === 1 ? "" : "s"}\n`,
      );
    });
}
