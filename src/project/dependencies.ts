/**
 * Resolving an experiment's dependencies, on demand: each `"<project>|<slug>"` reference
 * names a registered project or a project file (opened read-only, once per opened project and
 * the projects reached from it) and one of its experiments.
 *
 * A project file may come from someone else, so its references are data: nothing is opened
 * until `experiment.loadDependencies()` asks for it, and an error names the file a reference
 * led to and the cause, never that file's content.
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

/** Projects opened for dependencies, by location: shared by a project and those reached from it. */
export type UpstreamCache<P> = Map<string, Promise<P>>;

/** What resolving the dependencies of one project file needs. */
export interface DependencyContext<P extends { readonly fpath: string }> {
  /** The project file whose records are read. */
  readonly fpath: string;
  /** The storage options upstream project files are looked for with. */
  readonly storageOptions: StorageOptions;
  /** The projects opened so far from this one (a circle of references ends in the cache). */
  readonly upstream: UpstreamCache<P>;
  /** The project registered under `name`, if any. */
  registered(name: string): P | undefined;
  /** Opens the project file at `location` read-only (its own dependencies stay unresolved). */
  open(location: string): Promise<P>;
  /** The experiment of `project` with this slug or short slug. */
  find(project: P, slug: string): Experiment | undefined;
}

/**
 * The dependencies the references of record `record` name, in order.
 *
 * @throws NotFoundError when a project or an experiment cannot be found.
 * @throws LazyscribeError when a project file cannot be read (naming it and the cause only).
 */
export async function resolveDependencies<P extends { readonly fpath: string }>(
  refs: readonly string[],
  record: number,
  context: DependencyContext<P>,
): Promise<Dependency[]> {
  const resolved: Dependency[] = [];
  for (const ref of refs) resolved.push(await resolveDependency(ref, record, context));
  return resolved;
}

/**
 * The dependency a reference of record `record` names: the project registered under its
 * project part or, failing that, the project file it names, and the experiment with its slug.
 *
 * @throws NotFoundError when the project or the experiment cannot be found.
 * @throws LazyscribeError when the project file cannot be read.
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
  const where = `${context.fpath}, record ${record}: dependency "${ref}"`;
  const candidates = upstreamCandidates(context.fpath, projectRef);
  for (const candidate of candidates) {
    const cached = context.upstream.get(candidate);
    if (cached !== undefined) return cached;
    let exists: boolean;
    try {
      const { storage, path } = resolveLocation(candidate, context.storageOptions);
      exists = await storage.exists(path);
    } catch (error) {
      throw new LazyscribeError(`${where}: ${candidate} cannot be looked for (${causeOf(error)})`);
    }
    if (exists) {
      const opening = context.open(candidate).catch((error: unknown) => {
        throw new LazyscribeError(
          `${where}: ${candidate} could not be opened as a project file (${causeOf(error)})`,
        );
      });
      context.upstream.set(candidate, opening);
      return opening;
    }
  }
  throw new NotFoundError(
    `${where} names project "${projectRef}", which is not registered and was not found (looked for ${candidates.join(", ")})`,
  );
}

/**
 * The cause of a failure to read another file, without anything read from it: the error's
 * class and, for system errors, its code. A parser's message may quote the file.
 */
function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return "an unknown error";
  const code = (error as { code?: unknown }).code;
  if (error.name === "ValidationError") return "it is not a valid project file";
  return typeof code === "string" ? `${error.name} ${code}` : error.name;
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
