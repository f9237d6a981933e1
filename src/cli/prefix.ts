/**
 * Naming an experiment on the command line by as little of its slug as tells it apart: `show`
 * and `compare` take a slug, a short slug (the latest run of that name), or any prefix of a
 * slug that only one experiment's slug starts with, and say on stderr which experiment a
 * prefix named. A prefix several slugs start with is refused with the candidates listed.
 *
 * @module
 */
import type { Project } from "../project/project.js";
import { CliError } from "./fail.js";
import { clean } from "./format.js";
import type { TextSink } from "./io.js";

/** How many candidates an ambiguous prefix's error lists. */
const SHOWN_CANDIDATES = 10;

/**
 * The slug or short slug `text` names in `project`: itself when an experiment has it as slug
 * or short slug; else the one slug that starts with it, said on `stderr` (`note: "lr-0-1" is
 * lr-0-1-20240301101530 (lr 0.1)`).
 *
 * @throws CliError naming the candidates when several slugs start with `text`, or saying
 *   that none does.
 */
export function resolveSlug(project: Project, text: string, stderr?: TextSink): string {
  if (project.has(text)) return text;
  const names = new Map<string, string>();
  if (text !== "") {
    for (const experiment of project.experiments) {
      if (experiment.slug.startsWith(text)) names.set(experiment.slug, experiment.name);
    }
  }
  const [only, ...others] = names.keys();
  if (only === undefined) {
    throw new CliError(
      `${project.fpath}: no experiment with slug or short slug "${clean(text)}", nor a slug starting with it (run \`lazyscribe list ${project.fpath}\` to see them)`,
    );
  }
  if (others.length > 0) {
    const candidates = [...names]
      .slice(0, SHOWN_CANDIDATES)
      .map(([slug, name]) => `${clean(slug)} (${clean(name)})`);
    const more = names.size > SHOWN_CANDIDATES ? `, and ${names.size - SHOWN_CANDIDATES} more` : "";
    throw new CliError(
      `${project.fpath}: ${names.size} slugs start with "${clean(text)}": ${candidates.join(", ")}${more}; give more of the slug`,
    );
  }
  stderr?.write(`note: "${clean(text)}" is ${clean(only)} (${clean(names.get(only) ?? "")})\n`);
  return only;
}
