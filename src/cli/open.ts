/**
 * Opening the projects a command names, read-only, with the errors a person can act on.
 *
 * @module
 */
import { NotFoundError } from "../errors.js";
import type { ExperimentRecord } from "../format/schemas.js";
import { Project } from "../project/project.js";
import { CliError } from "./fail.js";

/**
 * Opens an existing project file in mode "r".
 *
 * @throws CliError when there is no file at `fpath`.
 * @throws StorageError when `fpath` is a folder or another thing that is not a regular file.
 * @throws ValidationError when the file is not a project file (names file, record, field).
 */
export async function openProject(fpath: string): Promise<Project> {
  try {
    return await Project.open(fpath, { mode: "r" });
  } catch (error) {
    if (error instanceof NotFoundError) throw new CliError(`${fpath}: no such project file`);
    throw error;
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
