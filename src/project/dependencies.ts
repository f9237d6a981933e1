/**
 * Resolving a project's dependencies as it is read: each `"<project>|<slug>"` reference names
 * a registered project or a project file (opened read-only, once per open, refusing circles)
 * and one of its experiments.
 *
 * @module
 */
import { LazyscribeError, NotFoundError } from "../errors.js";
import type { Dependency, Experiment } from "../model/experiment.js";
import {
  dirnameOf,
  isAbsoluteLocation,
  joinPath,
  parseLocation,
  resolveLocation,
  type StorageOptions,
} from "../storage/index.js";

/** Projects already opened while one project's dependencies are resolved, by location. */
export type UpstreamCache<P> = Map<string, P | "loading">;

/** What resolving the dependencies of one project file needs. */
export interface DependencyContext<P extends { readonly fpath: string }> {
  /** The project file whose records are read. */
  readonly fpath: string;
  /** The storage options upstream project files are looked for with. */
  readonly storageOptions: StorageOptions;
  /** The projects opened so far in this open, and the ones being read. */
  readonly upstream: UpstreamCache<P>;
  /** The project registered under `name`, if any. */
  registered(name: string): P | undefined;
  /** Opens the project file at `location` read-only (resolving its own dependencies). */
  open(location: string): Promise<P>;
  /** The experiment of `project` with this slug or short slug. */
  find(project: P, slug: string): Experiment | undefined;
}

/**
 * The dependency a reference of record `record` names: the project registered under its
 * project part or, failing that, the project file it names, and the experiment with its slug.
 *
 * @throws NotFoundError when the project or the experiment cannot be found.
 * @throws LazyscribeError when the dependency is circular.
 */
export async function resolveDependency<P extends { readonly fpath: string }>(
  ref: string,
  record: number,
  context: DependencyContext<P>,
): Promise<Dependency> {
  const bar = ref.indexOf("|");
  const projectRef = ref.slice(0, bar);
  const slug = ref.slice(bar + 1);
  const project =
    context.registered(projectRef) ?? (await openUpstream(projectRef, ref, record, context));
  const experiment = context.find(project, slug);
  if (experiment === undefined) {
    throw new NotFoundError(
      `${context.fpath}, record ${record}: dependency "${ref}" names experiment "${slug}", which ${project.fpath} does not have`,
    );
  }
  return { project: projectRef, experiment };
}

async function openUpstream<P extends { readonly fpath: string }>(
  projectRef: string,
  ref: string,
  record: number,
  context: DependencyContext<P>,
): Promise<P> {
  const candidates = upstreamCandidates(context.fpath, projectRef);
  for (const candidate of candidates) {
    const cached = context.upstream.get(candidate);
    if (cached === "loading") {
      throw new LazyscribeError(
        `${context.fpath}, record ${record}: dependency "${ref}" is circular`,
      );
    }
    if (cached !== undefined) return cached;
    const { storage, path } = resolveLocation(candidate, context.storageOptions);
    if (await storage.exists(path)) return context.open(candidate);
  }
  throw new NotFoundError(
    `${context.fpath}, record ${record}: dependency "${ref}" names project "${projectRef}", which is not registered and was not found (looked for ${candidates.join(", ")})`,
  );
}

/**
 * Where a relative project reference of the file `fpath` may be: as Python resolves it (the
 * working folder), then beside that file.
 */
function upstreamCandidates(fpath: string, projectRef: string): string[] {
  if (isAbsoluteLocation(projectRef)) return [projectRef];
  const { protocol } = parseLocation(fpath);
  const asGiven = protocol === "file" ? projectRef : `${protocol}://${projectRef}`;
  const beside = joinPath(dirnameOf(fpath), projectRef);
  return asGiven === beside ? [asGiven] : [asGiven, beside];
}
