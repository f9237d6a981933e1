/**
 * Writing keys that come from users or files, so that `__proto__` stays plain data.
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
