/**
 * fast-check arbitraries for Python-shaped JSON values together with their whole-float marks,
 * as `readPyJson` should report them for what `dumpPyJson` writes.
 */
import fc from "fast-check";
import type { FloatMarks } from "../../../src/format/pyjson/index.js";

/** A value and its marks. */
export type Marked = readonly [unknown, FloatMarks | undefined];

const SAFE = Number.MAX_SAFE_INTEGER;

/** Marks of a double as Python's json reads back what the writer makes of it. */
function doubleMarks(d: number): FloatMarks | undefined {
  return Number.isInteger(d) && (!Number.isSafeInteger(d) || Object.is(d, -0)) ? true : undefined;
}

const scalar: fc.Arbitrary<Marked> = fc.oneof(
  fc.constant<Marked>([null, undefined]),
  fc.boolean().map((b): Marked => [b, undefined]),
  fc.double().map((d): Marked => [d, doubleMarks(d)]),
  fc.integer().map((i): Marked => [i, undefined]),
  fc.integer({ min: -1e6, max: 1e6 }).map((i): Marked => [i === 0 ? 0 : i, true]),
  fc.constantFrom<Marked>([0, true], [-0, true], [1, true], [1e16, true], [2 ** 53, true]),
  fc
    .oneof(fc.bigInt({ min: BigInt(SAFE) + 1n }), fc.bigInt({ max: -BigInt(SAFE) - 1n }))
    .map((b): Marked => [b, undefined]),
  fc.constantFrom<Marked>([9007199254740993n, undefined], [12345678901234567890n, undefined]),
  fc.string({ unit: "binary", maxLength: 12 }).map((s): Marked => [s, undefined]),
);

const key = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.constantFrom("__proto__", "constructor", "0", "10", 'a"b', "a\\b", "é", "😀"),
);

function node(entries: [string, FloatMarks | undefined][]): FloatMarks | undefined {
  const kept = entries.filter((e): e is [string, FloatMarks] => e[1] !== undefined);
  return kept.length === 0 ? undefined : (Object.fromEntries(kept) as FloatMarks);
}

/** Python-shaped values (big integers, whole floats at every depth, unicode) with their marks. */
export const marked: fc.Arbitrary<Marked> = fc.letrec<{ value: Marked }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 5 }).map((items): Marked => {
      const value = items.map((i) => i[0]);
      return [value, node(items.map((i, n) => [String(n), i[1]]))];
    }),
    fc
      .uniqueArray(fc.tuple(key, tie("value")), { maxLength: 5, selector: (e) => e[0] })
      .map((members): Marked => {
        const value = Object.fromEntries(members.map(([k, v]) => [k, v[0]]));
        return [value, node(members.map(([k, v]) => [k, v[1]]))];
      }),
  ),
})).value;

/** `inner` wrapped `levels` times, alternately in a list and an object under `"k"`. */
export function wrap([value, marks]: Marked, levels: number): Marked {
  let v = value;
  let m = marks;
  for (let i = 0; i < levels; i++) {
    if (i % 2 === 0) {
      v = [v];
      m = m === undefined ? undefined : { 0: m };
    } else {
      v = { k: v };
      m = m === undefined ? undefined : { k: m };
    }
  }
  return [v, m];
}

/** A record: an object of up to `maxMembers` Python-shaped members, with its marks. */
export function markedRecord(maxMembers: number): fc.Arbitrary<Marked> {
  return fc
    .uniqueArray(fc.tuple(fc.string({ maxLength: 5 }), marked), {
      maxLength: maxMembers,
      selector: (e) => e[0],
    })
    .map((members): Marked => {
      const value = Object.fromEntries(members.map(([k, v]) => [k, v[0]]));
      const kept = members.filter(([, v]) => v[1] !== undefined);
      return [
        value,
        kept.length === 0
          ? undefined
          : (Object.fromEntries(kept.map(([k, v]) => [k, v[1]])) as FloatMarks),
      ];
    });
}
