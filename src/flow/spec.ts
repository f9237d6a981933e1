/**
 * How a task is recorded: its inputs, the tasks it waits for, its trigger, its work, and what
 * a UI needs to know about it. One shape for every task, so the engine's reads stay simple.
 *
 * @module
 */
import { isObservable } from "rxjs";
import type { Body } from "./body.js";
import { FlowParameter, type Task, type TaskContext } from "./task.js";
import type { Trigger } from "./trigger.js";

/** What a logging task logs, for the events a UI reads. */
export type LogKind = "metric" | "parameter" | "tag" | "test" | "artifact";

/** @internal What a lazy method gives to record a task (unset fields take their defaults). */
export interface SpecInit {
  readonly name: string;
  /** Data inputs, in argument order: tasks, parameters, Observables or plain values. */
  readonly inputs: readonly unknown[];
  /** Tasks it waits for without taking their values (joined with `forkJoin`). */
  readonly upstream?: readonly Task<unknown>[];
  /** When it runs with respect to `upstream`. */
  readonly trigger?: Trigger;
  readonly retries?: number;
  readonly retryDelay?: number;
  /** How many calls of the functions sharing `limitKey` may run at once in a run. */
  readonly concurrency?: number;
  /** What shares the `concurrency` limit (the task function). */
  readonly limitKey?: object;
  /**
   * Bookkeeping: a short synchronous call on objects in memory (logging a value, creating an
   * experiment) that returns its one value. It is not counted against `run({ maxConcurrency })`.
   */
  readonly bookkeeping?: boolean;
  /** What it logs, for a logging task (its key and experiment are among its inputs). */
  readonly logKind?: LogKind;
  /** The experiment's synchronous body it is folded into (see `body.ts`). */
  readonly body?: Body;
  /** The work: gets the inputs' values; returns a value, a promise or an Observable. */
  readonly work: (args: readonly unknown[], context: TaskContext) => unknown;
}

/** @internal When and how a task's function is called (one object shared by most tasks). */
export interface CallPolicy {
  readonly trigger: Trigger;
  readonly retries: number;
  readonly retryDelay: number;
  readonly concurrency: number | undefined;
  readonly limitKey: object | undefined;
}

const POLICIES = new Map<Trigger, CallPolicy>();

/** @internal The call policy of `init`: a shared one when it only sets a trigger. */
export function policyOf(init: SpecInit): CallPolicy {
  const trigger = init.trigger ?? "all-successful";
  if (
    init.retries === undefined &&
    init.retryDelay === undefined &&
    init.concurrency === undefined &&
    init.limitKey === undefined
  ) {
    let shared = POLICIES.get(trigger);
    if (shared === undefined) {
      shared = { trigger, retries: 0, retryDelay: 0, concurrency: undefined, limitKey: undefined };
      POLICIES.set(trigger, shared);
    }
    return shared;
  }
  return {
    trigger,
    retries: init.retries ?? 0,
    retryDelay: init.retryDelay ?? 0,
    concurrency: init.concurrency,
    limitKey: init.limitKey,
  };
}

/** @internal What a task shares with every task of its kind (one object for each kind). */
export interface TaskKind {
  readonly policy: CallPolicy;
  readonly bookkeeping: boolean;
  readonly logKind: LogKind | undefined;
  readonly work: (args: readonly unknown[], context: TaskContext) => unknown;
}

/** Kinds already made, by their work: most tasks of a flow are of a handful of kinds. */
const KINDS = new WeakMap<object, TaskKind[]>();

/** @internal The kind of a task recorded from `init`: an existing one when there is one. */
export function kindOf(init: SpecInit): TaskKind {
  const policy = policyOf(init);
  const bookkeeping = init.bookkeeping ?? false;
  const logKind = init.logKind;
  const known = KINDS.get(init.work);
  const same = known?.find(
    (k) => k.policy === policy && k.bookkeeping === bookkeeping && k.logKind === logKind,
  );
  if (same !== undefined) return same;
  const kind: TaskKind = { policy, bookkeeping, logKind, work: init.work };
  if (known === undefined) KINDS.set(init.work, [kind]);
  else known.push(kind);
  return kind;
}

/** @internal A recorded spec: every field set (parameters resolved to their tasks). */
export interface TaskSpec {
  readonly name: string;
  readonly inputs: readonly unknown[];
  readonly upstream: readonly Task<unknown>[];
  /** Its trigger, retries and concurrency limit. */
  readonly policy: CallPolicy;
  readonly bookkeeping: boolean;
  readonly logKind: LogKind | undefined;
  /** The body it is folded into; set once when it is folded, else `undefined`. */
  body: Body | undefined;
  /** Its place among the body's members. */
  member: number;
  /** The body this task (an experiment's task) runs after its own work. */
  owns: Body | undefined;
  readonly work: (args: readonly unknown[], context: TaskContext) => unknown;
}

/** @internal Whether `value` is a plain value (not a task, a parameter or an Observable). */
export function isPlain(value: unknown): boolean {
  return !(value instanceof FlowParameter) && !isObservable(value);
}
