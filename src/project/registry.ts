/**
 * The project registry: names for projects, so that a dependency can be read as
 * `"<name>|<slug>"` instead of a path, as Python lazyscribe's `registry`.
 *
 * @module
 */
import { NotFoundError } from "../errors.js";
import type { Project } from "./project.js";

/**
 * Named projects, looked up when dependencies are read. `P` is the kind of project
 * registered; the process-wide {@link registry} holds `Project`s.
 */
export class Registry<P = unknown> {
  readonly #projects = new Map<string, P>();

  /**
   * Registers `project` under `name`: a dependency read as `"<name>|<slug>"` then resolves
   * to it. Dependencies are written with the project reference they were read or added with
   * (`experiment.addDependency(upstream, "<name>")` writes `name`; by default it is the
   * upstream experiment's project path).
   */
  addProject(name: string, project: P): void {
    if (name.length === 0 || name.includes("|")) {
      throw new NotFoundError(
        `a registry name must be non-empty and must not contain "|": "${name}"`,
      );
    }
    this.#projects.set(name, project);
  }

  /** The project registered under `name`, if any. */
  get(name: string): P | undefined {
    return this.#projects.get(name);
  }

  /** Whether a project is registered under `name`. */
  has(name: string): boolean {
    return this.#projects.has(name);
  }

  /** Removes the project registered under `name`. */
  remove(name: string): boolean {
    return this.#projects.delete(name);
  }

  /** Removes every registered project. */
  clear(): void {
    this.#projects.clear();
  }

  /** The registered names. */
  get names(): string[] {
    return [...this.#projects.keys()];
  }
}

/**
 * The process-wide registry: a dependency written `"<name>|<slug>"` resolves to the project
 * registered under `name` before any file is looked for.
 */
export const registry: Registry<Project> = new Registry<Project>();
