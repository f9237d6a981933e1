/**
 * Loading the flow a module exports, for `lazyscribe run <flow file>`.
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Observable } from "rxjs";
import type { DashboardFlow, DashboardTaskEvent } from "../dashboard/index.js";
import { resolveLocation } from "../storage/index.js";
import { CliError, EXIT_USAGE } from "./fail.js";

/** What `run` needs of a flow: its graph, and a run as task events (`Flow` of `lazyscribe/flow`). */
export interface RunnableFlow extends DashboardFlow {
  /** The flow's parameters: their names, and whether they have a default. */
  readonly parameters?: readonly { readonly name: string; readonly hasDefault: boolean }[];
  run$(options?: { parameters?: Record<string, unknown> }): Observable<DashboardTaskEvent>;
}

/** Whether `value` looks like a `Flow` (checked by shape: the module may load its own copy). */
export function isFlow(value: unknown): value is RunnableFlow {
  const flow = value as Partial<RunnableFlow> | null;
  return (
    typeof flow === "object" &&
    flow !== null &&
    typeof flow.name === "string" &&
    Array.isArray(flow.tasks) &&
    typeof flow.run$ === "function" &&
    typeof flow.toMermaid === "function" &&
    typeof flow.upstreamTasks === "function"
  );
}

const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/;

async function enableTypeScript(file: string): Promise<void> {
  try {
    const { register } = await import("tsx/esm/api");
    register();
  } catch {
    throw new CliError(
      `${file} is TypeScript: install tsx (npm i -D tsx) so that it can be loaded, or compile it to JavaScript`,
    );
  }
}

/**
 * Imports `file` and returns the flow it exports: its default export, or its only exported
 * `Flow`, or the export named `exportName`.
 *
 * @throws CliError when the file is missing, fails to load, or exports no (or several) flows.
 */
export async function loadFlow(file: string, exportName?: string): Promise<RunnableFlow> {
  const { storage, path } = resolveLocation(file);
  if (storage.protocol !== "file" || !(await storage.exists(path))) {
    throw new CliError(`${file}: no such flow file`);
  }
  if (TYPESCRIPT.test(file)) await enableTypeScript(file);
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(resolve(path)).href);
  } catch (error) {
    throw new CliError(`could not load ${file}: ${(error as Error)?.message ?? String(error)}`);
  }
  if (exportName !== undefined) {
    const chosen = module[exportName];
    if (!isFlow(chosen))
      throw new CliError(`${file} has no Flow exported as "${exportName}"`, EXIT_USAGE);
    return chosen;
  }
  const flows = Object.entries(module).filter(([, value]) => isFlow(value));
  const preferred =
    flows.find(([name]) => name === "default") ?? (flows.length === 1 ? flows[0] : undefined);
  if (preferred !== undefined) return preferred[1] as RunnableFlow;
  if (flows.length === 0) {
    throw new CliError(
      `${file} exports no Flow (export one, e.g. \`export const flow = new Flow(...)\`)`,
    );
  }
  throw new CliError(
    `${file} exports several flows (${flows.map(([name]) => name).join(", ")}): choose one with --export <name>`,
    EXIT_USAGE,
  );
}
