/**
 * Python's `repr(float)`, the way `json.dump` writes a float: the shortest digits that
 * round-trip (the same digits JavaScript picks), laid out by Python's rules — fixed notation
 * for decimal exponents from -4 to 15 (`0.0001`, `1.0`), scientific with a signed exponent of
 * at least two digits outside it (`1e-05`, `1e+16`) — and `NaN`, `Infinity`, `-Infinity`.
 *
 * @example
 * ```ts
 * pyFloatRepr(1e-5); // "1e-05"
 * pyFloatRepr(3);    // "3.0"
 * pyFloatRepr(1e21); // "1e+21"
 * ```
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "Infinity";
  if (x === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    const fixed = String(x);
    return fixed.includes(".") ? fixed : `${fixed}.0`;
  }
  const sci = x.toExponential();
  const ePos = sci.indexOf("e");
  const mantissa = sci.slice(0, ePos);
  const exponent = Number(sci.slice(ePos + 1));
  const sign = exponent < 0 ? "-" : "+";
  const digits = String(Math.abs(exponent)).padStart(2, "0");
  return `${mantissa}e${sign}${digits}`;
}
