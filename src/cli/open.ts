/**
 * Opening the projects a command names, read-only, with the errors a person can act on.
 *
 * @module
 */
import { NotFoundError } from "../errors.js";
import type { ExperimentRecord } from "../format/schemas.js";
import { Project } from "../project/project.js";
import { CliError } from "./fail.js";
import type { TextSink } from "./io.js";

/**
 * Opens an existing project file in mode "r". With `stderr`, a note for each slug the file
 * holds several records of (Python logging one name twice in one second) says which record
 * the command shows.
 *
 * @throws CliError when there is no file at `fpath`.
 * @throws StorageError when `fpath` is a folder or another thing that is not a regular file.
 * @throws ValidationError when the file is not a project file (names file, record, field).
 */
export async function openProject(fpath: string, stderr?: TextSink): Promise<Project> {
  let project: Project;
  try {
    project = await Project.open(fpath, { mode: "r" });
  } catch (error) {
    if (error instanceof NotFoundError) throw new CliError(`${fpath}: no such project file`);
    throw error;
  }
  if (stderr !== undefined) noteDuplicateSlugs(project, stderr);
  return project;
}

function noteDuplicateSlugs(project: Project, stderr: TextSink): void {
  const counts = new Map<string, number>();
  for (const { slug } of project.slots) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  for (const [slug, count] of counts) {
    if (count < 2) continue;
    stderr.write(
      `note: ${project.fpath} holds ${count} experiments with slug "${slug}" (logged in the same second); "${slug}" names the last of them\n`,
    );
  }
}

/** The experiment record with this slug or short slug (the latest of that short slug). */
export function findRecord(project: Project, slug: string): ExperimentRecord {
  if (!project.has(slug)) {
    throw new CliError(
      `${project.fpath}: no experiment with slug or short slug "${slug}" (run \`lazyscribe list ${project.fpath}\` to see them)`,
    );
  }
  return project.get(slug).toJSON();
}
