/**
 * `lazyscribe merge <project> <project>... -o <file>`: merges projects by Python lazyscribe's
 * rule (the newest record of each slug) and writes the result to a new file.
 *
 * @module
 */
import { Command } from "commander";
import { Project } from "../project/project.js";
import { CliError, EXIT_USAGE } from "./fail.js";
import type { CliIO } from "./io.js";
import { openProject } from "./open.js";

/**
 * Merges the project files `inputs` into `output` (replaced if it exists) and returns the
 * number of experiments written.
 */
export async function mergeFiles(inputs: readonly string[], output: string): Promise<number> {
  const projects = [];
  for (const fpath of inputs) projects.push(await openProject(fpath));
  const [first, ...others] = projects as [Project, ...Project[]];
  const merged = first.merge(...others);
  const target = await Project.open(output, { mode: "w", author: first.author });
  for (const experiment of merged.experiments) target.append(experiment);
  await target.save();
  return target.size;
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
      const count = await mergeFiles(inputs, options.output);
      io.stdout.write(
        `merged ${inputs.length} projects into ${options.output}: ${count} experiment${count === 1 ? "" : "s"}\n`,
      );
    });
}
