/**
 * How a task is recorded: its inputs, the tasks it waits for, its trigger, its work, and what
 * a UI needs to know about it. One shape for every task, so the engine's reads stay simple.
 *
 * @module
 */
import { isObservable, type Observable } from "rxjs";
import type { Body } from "./body.js";
import type { RunContext } from "./run.js";
import { FlowParameter, type Inputs, type Task } from "./task.js";
import type { Trigger } from "./trigger.js";

/** What a logging task logs, for the events a UI reads. */
export type LogKind = "metric" | "parameter" | "tag" | "test" | "artifact";

/**
 * @internal A task's work: gets the values of its inputs, in order (typed `A`), and the run's
 * context; gives its value, a promise of it, or an Observable of its values.
 */
export type Work<A extends readonly unknown[], R> = (
  args: A,
  context: RunContext,
) => R | PromiseLike<R> | Observable<R>;

/**
 * @internal What a lazy method gives to record a task (unset fields take their defaults): the
 * inputs are checked against the work's argument types here, where both are known.
 */
export interface SpecInit<A extends readonly unknown[], R> {
  readonly name: string;
  /** Data inputs, in argument order: tasks, parameters, Observables or plain values. */
  readonly inputs: Inputs<A>;
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
  readonly work: Work<A, R>;
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
export function policyOf<A extends readonly unknown[], R>(init: SpecInit<A, R>): CallPolicy {
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
  /**
   * The work, its argument types erased: they were checked against the task's inputs when it
   * was recorded ({@link SpecInit}), and the engine calls it with those inputs' values. (A
   * method signature, so that a work of any argument types is one.)
   */
  work(args: readonly unknown[], context: RunContext): unknown;
}

/** Kinds already made, by their work: most tasks of a flow are of a handful of kinds. */
const KINDS = new WeakMap<object, TaskKind[]>();

/** @internal The kind of a task recorded from `init`: an existing one when there is one. */
export function kindOf<A extends readonly unknown[], R>(init: SpecInit<A, R>): TaskKind {
  const policy = policyOf(init);
  const bookkeeping = init.bookkeeping ?? false;
  const logKind = init.logKind;
  const known = KINDS.get(init.work);
  if (known !== undefined) {
    for (let i = 0; i < known.length; i++) {
      const k = known[i];
      if (k?.policy === policy && k.bookkeeping === bookkeeping && k.logKind === logKind) return k;
    }
  }
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
  /** The work (see {@link TaskKind.work}). */
  work(args: readonly unknown[], context: RunContext): unknown;
}

/** @internal Whether `value` is a plain value (not a task, a parameter or an Observable). */
export function isPlain(value: unknown): boolean {
  return !(value instanceof FlowParameter) && !isObservable(value);
}
