/**
 * Saved means readable (issue 11): whatever `log*` accepts, `save()` writes and `Project.open`
 * reads back as the same records; whatever could not be read back is refused at the call.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_VALUE_DEPTH, MemoryStorage, Project, ValidationError } from "../../src/index.js";
import { marked, wrap } from "./pyjson/arbitraries.js";

afterEach(() => MemoryStorage.clear());

/** A parameter value: Python-shaped JSON, sometimes nested to around the depth limit or long. */
const parameter = fc.oneof(
  marked.map(([value]) => value),
  fc
    .tuple(marked, fc.integer({ min: MAX_VALUE_DEPTH - 3, max: MAX_VALUE_DEPTH + 3 }))
    .map(([inner, levels]) => wrap(inner, levels)[0]),
  fc.integer({ min: 0, max: 50_000 }).map((n) => '"\\é😀'.repeat(n)),
);

/** A metric value: a number, a bigint, a string, a boolean, null, or a list of those. */
const metric = fc.oneof(
  fc.double(),
  fc.bigInt(),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 6 }),
);

const EXACT = 2n ** 53n;

/** A record as a reader gives it back: a bigint below 2**53 in magnitude becomes a number. */
function asRead<T>(value: T): T {
  if (typeof value === "bigint" && value > -EXACT && value < EXACT) return Number(value) as T;
  if (Array.isArray(value)) return value.map(asRead) as T;
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      Object.defineProperty(copy, key, {
        value: asRead(inner),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy as T;
  }
  return value;
}

describe("saved means readable", () => {
  it("reopens every project it saves as the same records, or refuses the value at the call", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.dictionary(fc.string(), parameter), fc.dictionary(fc.string(), metric)),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        async (experiments) => {
          const fpath = `memory://saved-readable/${run++}/project.json`;
          const project = await Project.open(fpath, { mode: "w", author: "prop" });
          for (const [i, [parameters, metrics]] of experiments.entries()) {
            try {
              project.log(`run ${i}`, (exp) => {
                for (const [name, value] of Object.entries(parameters)) {
                  exp.logParameter(name, value);
                }
                for (const [name, value] of Object.entries(metrics)) exp.logMetric(name, value);
              });
            } catch (error) {
              // Only a refusal at the call, never a crash: the experiment is left out.
              expect(error).toBeInstanceOf(ValidationError);
            }
          }
          await project.save();
          const reopened = await Project.open(fpath, { mode: "r" });
          // The file holds integers: one logged as a bigint reads back as a number when a
          // number holds it exactly (below 2**53), as Python's int would.
          expect([...reopened]).toEqual([...project].map(asRead));
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it("refuses a parameter nested one level deeper than the limit, and keeps the limit itself", async () => {
    const project = await Project.open("memory://saved-readable/deep/project.json", {
      mode: "w",
    });
    const [atLimit] = wrap([1, undefined], MAX_VALUE_DEPTH);
    const [tooDeep] = wrap([1, undefined], MAX_VALUE_DEPTH + 1);
    project.log("at the limit", (exp) => exp.logParameter("p", atLimit));
    expect(() => project.log("too deep", (exp) => exp.logParameter("p", tooDeep))).toThrow(
      ValidationError,
    );
    await project.save();
    const reopened = await Project.open("memory://saved-readable/deep/project.json", {
      mode: "r",
    });
    expect(reopened.experiments.map((e) => e.name)).toEqual(["at the limit"]);
    expect([...reopened]).toEqual([...project]);
  });
});
