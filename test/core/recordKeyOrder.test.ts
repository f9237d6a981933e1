/**
 * The records a save writes: `toRecord()` lists an experiment's and a test's keys in the
 * file's sorted order when they hold no unknown keys (so the writer copies no record to
 * re-key it), and with unknown keys the writer still writes them in Python's order. Either
 * way the text is the reference writer's, byte for byte.
 */
import { describe, expect, it } from "vitest";
import { dumpRecordText, type FloatMarks } from "../../src/format/pyjson/index.js";
import { fastRecordText } from "../../src/format/pyjson/recordText.js";
import { Experiment, Test } from "../../src/index.js";
import { referenceRecordText as reference } from "./pyjson/referenceRecord.js";

const created = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));

function experiment(extra?: Record<string, unknown>): Experiment {
  const holdout = new Test({
    name: "Holdout",
    description: "café",
    metrics: { z: 1, a: 0.5 },
    extra: extra === undefined ? undefined : { zz_test: 1, aa_test: [2] },
  });
  return new Experiment({
    name: "Run",
    project: "project.json",
    createdAt: created,
    lastUpdated: created,
    author: "me",
    metrics: { loss: 0.25, acc: 1 },
    parameters: { lr: 1e-7, seed: 12345678901234567890n, layers: [64, 32] },
    tags: ["b", "a"],
    tests: [holdout],
    extra,
  });
}

describe("the records a save writes", () => {
  it("list an experiment's and a test's keys in sorted order when they hold no unknown keys", () => {
    const record = experiment().toRecord();
    const keys = Object.keys(record);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual([
      "artifacts",
      "author",
      "created_at",
      "dependencies",
      "last_updated",
      "last_updated_by",
      "metrics",
      "name",
      "parameters",
      "short_slug",
      "slug",
      "tags",
      "tests",
    ]);
    expect(Object.keys(record.tests[0] as object)).toEqual([
      "artifacts",
      "description",
      "metrics",
      "name",
      "parameters",
    ]);
  });

  it("are written as the reference writer writes them, with or without unknown keys", () => {
    const marks: FloatMarks = { metrics: { acc: true }, tests: { 0: { metrics: { z: true } } } };
    for (const exp of [experiment(), experiment({ zeta: { b: 1, a: 2 }, alpha: "ü" })]) {
      const record = exp.toRecord();
      const expected = reference(record, marks);
      expect(fastRecordText(record, marks)).toBe(expected);
      expect(dumpRecordText(record, marks)).toBe(expected);
    }
  });

  it("keep Python's sorted order in the text for unknown keys that sort before lazyscribe's", () => {
    const text = dumpRecordText(experiment({ aaa: 1, zzz: 2 }).toRecord(), undefined);
    const order = ["aaa", "artifacts", "author", "created_at", "tests", "zzz"].map((key) =>
      text.indexOf(`\n        "${key}": `),
    );
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain('"description": "caf\\u00e9"');
    expect(text).toContain('"seed": 12345678901234567890');
    expect(text).toContain('"lr": 1e-07');
  });
});
