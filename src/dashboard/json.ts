/**
 * JSON for the browser: NaN and the infinities (which Python files hold and `JSON.stringify`
 * would turn into `null`) are sent as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, and
 * integers beyond 2**53 (`bigint`s, which it refuses) as their decimal strings.
 *
 * @module
 */

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return String(value);
  if (typeof value !== "number" || Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return "NaN";
  return value > 0 ? "Infinity" : "-Infinity";
}

/**
 * `value` as JSON text, non-finite numbers and `bigint`s as strings. A caller that knows
 * `value` holds neither passes `plain` to skip the check of every value.
 */
export function toJson(value: unknown, plain = false): string {
  return plain ? JSON.stringify(value) : JSON.stringify(value, replacer);
}

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}

/** JSON text written again with the keys of every object sorted, to compare two records. */
export function sortedJson(json: string): string {
  return JSON.stringify(JSON.parse(json), sortKeys);
}
