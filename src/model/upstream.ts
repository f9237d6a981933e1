/**
 * The upstream experiments an experiment depends on: those added in code, and the references
 * read from a file, resolved on demand (never when the file is opened, which may come from
 * someone else).
 *
 * @module
 */
import { LazyscribeError } from "../errors.js";
import type { UnresolvedDependencies, UpstreamDependency } from "./experimentInit.js";

/** What an upstream experiment needs to be keyed and referenced. */
interface Slugged {
  readonly shortSlug: string;
  readonly slug: string;
}

/** The dependencies of one experiment (`E`: the experiment class). */
export class Upstream<E extends Slugged> {
  /** Resolved dependencies by short slug, in the order Python's dict keeps them. */
  #resolved = new Map<string, UpstreamDependency<E>>();
  #unresolved: UnresolvedDependencies<E> | undefined;
  #resolving: Promise<Readonly<Record<string, E>>> | undefined;

  constructor(
    resolved: readonly UpstreamDependency<E>[],
    unresolved: UnresolvedDependencies<E> | undefined,
  ) {
    for (const dep of resolved) this.#resolved.set(dep.experiment.shortSlug, dep);
    if (unresolved !== undefined && unresolved.refs.length > 0) this.#unresolved = unresolved;
  }

  /**
   * The dependencies of a new experiment or copy: `undefined` when it has none (most have
   * none, and keep no object for them).
   */
  static of<E extends Slugged>(
    resolved: readonly UpstreamDependency<E>[] | undefined,
    unresolved: UnresolvedDependencies<E> | undefined,
  ): Upstream<E> | undefined {
    if ((resolved ?? []).length === 0 && unresolved === undefined) return undefined;
    return new Upstream(resolved ?? [], unresolved);
  }

  /** The resolved dependencies, for a copy. */
  get resolved(): UpstreamDependency<E>[] {
    return [...this.#resolved.values()];
  }

  /** The references not resolved yet, for a copy. */
  get unresolved(): UnresolvedDependencies<E> | undefined {
    return this.#unresolved;
  }

  /** The `"<project>|<slug>"` references written for the dependencies. */
  get refs(): readonly string[] {
    if (this.#unresolved !== undefined) return this.#unresolved.refs;
    return [...this.#resolved.values()].map((d) => `${d.project}|${d.experiment.slug}`);
  }

  /**
   * The upstream experiments by short slug.
   *
   * @param owner - the experiment, for the message.
   * @throws LazyscribeError when references read from the file are not loaded yet.
   */
  view(owner: string): Readonly<Record<string, E>> {
    if (this.#unresolved !== undefined) {
      throw new LazyscribeError(
        `the dependencies of ${owner} (${this.#unresolved.refs.join(", ")}) are not loaded: call \`await experiment.loadDependencies()\` first (opening a project never opens the files its dependencies name)`,
      );
    }
    const out: Record<string, E> = {};
    for (const [short, dep] of this.#resolved) out[short] = dep.experiment;
    return Object.freeze(out);
  }

  /** Resolves the references read from the file, once (concurrent calls share the work). */
  load(owner: string): Promise<Readonly<Record<string, E>>> {
    const unresolved = this.#unresolved;
    if (unresolved === undefined) return Promise.resolve(this.view(owner));
    this.#resolving ??= unresolved.resolve().then(
      (deps) => {
        this.#resolved = new Map(deps.map((d) => [d.experiment.shortSlug, d]));
        this.#unresolved = undefined;
        return this.view(owner);
      },
      (error: unknown) => {
        this.#resolving = undefined;
        throw error;
      },
    );
    return this.#resolving;
  }

  /**
   * Adds (or replaces, by short slug) a dependency.
   *
   * @throws LazyscribeError when the project reference is empty or holds `|`, or when
   *   references read from the file are not loaded yet.
   */
  add(dep: UpstreamDependency<E>, owner: string): void {
    if (dep.project === "" || dep.project.includes("|")) {
      throw new LazyscribeError(
        `cannot add dependency "${dep.experiment.slug}": its project reference "${dep.project}" must be a non-empty path or registry key without "|"`,
      );
    }
    if (this.#unresolved !== undefined) {
      throw new LazyscribeError(
        `cannot add dependency "${dep.experiment.slug}" to ${owner}: its dependencies read from the file are not loaded; call \`await experiment.loadDependencies()\` first`,
      );
    }
    this.#resolved.set(dep.experiment.shortSlug, dep);
  }
}
