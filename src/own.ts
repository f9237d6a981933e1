/**
 * Writing and copying keys that come from users or files, so that `__proto__` stays plain data.
 *
 * @module
 */

/** Sets an own, enumerable data property, even for the key `__proto__`. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/**
 * A deep copy of JSON data (objects, arrays and scalars, `bigint`s included) that the caller
 * owns; every key is copied as own data, `__proto__` included. Whole floats are not in the
 * value (see `FloatMarks`): the copy is written as the original is, given the same marks.
 */
export function copyJson<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setOwn(out, key, copyJson((value as Record<string, unknown>)[key]));
  }
  return out as T;
}

/** Whether `value` has an own enumerable key (without listing its keys). */
export function hasOwnKeys(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}
