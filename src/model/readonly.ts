/**
 * Read-only views of the data held by read-only experiments and tests: reading works as
 * usual, and every attempt to change the data throws {@link ReadOnlyError}.
 *
 * @module
 */
import { ReadOnlyError } from "../errors.js";
import { isPlainObject } from "../guards.js";

const views = new WeakMap<object, object>();

function refuse(what: string): never {
  throw new ReadOnlyError(
    `${what} belongs to a read-only experiment; open the project in mode "w+" to edit it`,
  );
}

const handler: ProxyHandler<object> = {
  get(target, key, receiver) {
    const value = Reflect.get(target, key, receiver);
    return isPlainData(value) ? readOnlyView(value) : value;
  },
  set: () => refuse("this value"),
  defineProperty: () => refuse("this value"),
  deleteProperty: () => refuse("this value"),
  setPrototypeOf: () => refuse("this value"),
};

/** Plain objects and arrays get views; class instances (tests...) guard themselves. */
function isPlainData(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  return Array.isArray(value) || isPlainObject(value);
}

/** A view of `value` (and of the plain objects and arrays inside it) that refuses every change. */
export function readOnlyView<T>(value: T): T {
  if (!isPlainData(value)) return value;
  let view = views.get(value);
  if (view === undefined) {
    view = new Proxy(value, handler);
    views.set(value, view);
  }
  return view as T;
}
