/**
 * Type guards the core shares: promises of user callbacks, and plain objects (the only
 * objects that are JSON data).
 *
 * @module
 */

/**
 * Whether `value` is a promise or another thenable (what an async callback returns): an
 * object or a function with a `then` method, as Promises/A+ defines it.
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === "object" && value !== null) || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Whether `value` is a plain object: made by a literal, `Object.create(null)` or JSON. */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
