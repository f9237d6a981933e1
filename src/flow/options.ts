/**
 * Small helpers for the options of the lazy classes' `bind(options)`.
 *
 * @module
 */
import { FlowError } from "./errors.js";

/** @internal `options` without its `undefined` values, so that they do not override defaults. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * @internal The name a lazy object needs to bind.
 *
 * @throws FlowError when there is none.
 */
export function requireName(name: string | undefined, kind: string): string {
  if (name === undefined || name === "") {
    throw new FlowError(`${kind}.bind() needs a name: new ${kind}({ name }) or bind({ name })`);
  }
  return name;
}
