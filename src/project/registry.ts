/**
 * The project registry: names for projects, so that dependencies can be written as
 * `"<name>|<slug>"` instead of a path, as Python lazyscribe's `registry`.
 *
 * @module
 */
import { NotFoundError } from "../errors.js";
import type { Project } from "./project.js";

/** Named projects, looked up when dependencies are read and written. */
export class Registry {
  readonly #projects = new Map<string, Project>();

  /**
   * Registers `project` under `name`; a dependency written `"<name>|<slug>"` then resolves
   * to it, and dependencies on its experiments are written with `name`.
   */
  addProject(name: string, project: Project): void {
    if (name.length === 0 || name.includes("|")) {
      throw new NotFoundError(
        `a registry name must be non-empty and must not contain "|": "${name}"`,
      );
    }
    this.#projects.set(name, project);
  }

  /** The project registered under `name`, if any. */
  get(name: string): Project | undefined {
    return this.#projects.get(name);
  }

  /** Whether a project is registered under `name`. */
  has(name: string): boolean {
    return this.#projects.has(name);
  }

  /** The name a project file is registered under, if any. */
  keyFor(fpath: string): string | undefined {
    for (const [name, project] of this.#projects) {
      if (project.fpath === fpath) return name;
    }
    return undefined;
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

/** The process-wide registry. */
export const registry = new Registry();
