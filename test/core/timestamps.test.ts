import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTimestamp, readTimestamp, TimestampSchema } from "../../src/format/timestamps.js";
import {
  ArtifactRecordSchema,
  Project,
  parseProjectFile,
  Release,
  ValidationError,
} from "../../src/index.js";
import { loads } from "../../src/release/file.js";
import { MemoryStorage } from "../../src/storage/memory.js";

/** [text, what Python 3.11 + lazyscribe 2.2.1 write back, the instant in ms] or [text, null, null]. */
type Case = [string, string | null, number | null];

/** Made by scripts/generate-timestamp-fixture.py with Python 3.11's datetime.fromisoformat. */
const cases = JSON.parse(
  readFileSync(
    new URL("../fixtures/timestamps/python-fromisoformat.json", import.meta.url),
    "utf8",
  ),
) as Case[];

describe("timestamps read as Python's datetime.fromisoformat and written as its isoformat", () => {
  it("agree with Python on every one of the 6,001 generated texts", () => {
    expect(cases.length).toBe(6001);
    expect(cases.filter(([, out]) => out !== null).length).toBe(1308);
    const disagreements = cases.flatMap(([text, out, ms]) => {
      const read = readTimestamp(text);
      const got = read === undefined ? [null, null] : [read.text, read.date.getTime()];
      return got[0] === out && got[1] === ms ? [] : [{ text, python: [out, ms], here: got }];
    });
    expect(disagreements).toEqual([]);
  });

  it("refuses a leap second, which Python refuses", () => {
    expect(readTimestamp("2024-03-01T10:00:60")).toBeUndefined();
    const result = TimestampSchema.safeDecode("2024-03-01T10:00:60");
    expect(result.error?.issues[0]?.message).toContain(
      '"2024-03-01T10:00:60" is not a valid ISO 8601 timestamp',
    );
  });

  it("keeps an offset as written, and writes Z as +00:00", () => {
    expect(TimestampSchema.decode("2024-03-01T10:15:30+02:00")).toEqual({
      date: new Date("2024-03-01T08:15:30Z"),
      text: "2024-03-01T10:15:30+02:00",
    });
    expect(TimestampSchema.decode("2024-03-01T10:15:30Z").text).toBe("2024-03-01T10:15:30+00:00");
  });

  it("drops the fraction of a second when writing, but keeps it in the instant", () => {
    const read = TimestampSchema.decode("2024-03-01 10:15:30.250");
    expect(read.text).toBe("2024-03-01T10:15:30");
    expect(read.date.getTime()).toBe(Date.UTC(2024, 2, 1, 10, 15, 30, 250));
  });

  it("encodes a timestamp as the text a save writes", () => {
    expect(TimestampSchema.encode(TimestampSchema.decode("20240301T1015-0530"))).toBe(
      "2024-03-01T10:15:00-05:30",
    );
  });

  it("round-trips any time lazyscribe writes (naive UTC to the second)", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z") }),
        (date) => {
          fc.pre(!Number.isNaN(date.getTime()));
          const text = formatTimestamp(date);
          const read = TimestampSchema.decode(text);
          expect(read.text).toBe(text);
          expect(read.date.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
        },
      ),
    );
  });

  it("formats every time of a sequence as its own second, whatever came before", () => {
    // Dates within a few seconds of each other, before and after the epoch too, so that the
    // text kept for the last second is asked for both with the same second and another one.
    const around = (base: number) =>
      fc.integer({ min: -2500, max: 2500 }).map((offset) => new Date(base + offset));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(around(0), around(Date.UTC(2024, 11, 31, 23, 59, 59))), {
          maxLength: 20,
        }),
        (dates) => {
          for (const date of dates) {
            expect(formatTimestamp(date)).toBe(date.toISOString().slice(0, 19));
          }
        },
      ),
    );
  });

  it("reads back every text it writes as itself", () => {
    for (const [, out] of cases) {
      if (out !== null) expect(readTimestamp(out)?.text).toBe(out);
    }
  });
});

const record = (created_at: string, last_updated: string) => ({
  name: "a",
  author: "x",
  last_updated_by: "x",
  metrics: {},
  parameters: {},
  created_at,
  last_updated,
  dependencies: [],
  short_slug: "a",
  slug: "a-20240301101530",
  tests: [],
  artifacts: [],
  tags: [],
});

describe("timestamps of project, repository and releases files", () => {
  it("an unchanged w+ save writes what Python lazyscribe 2.2.1 writes", async () => {
    MemoryStorage.clear();
    const text = JSON.stringify([record("2024-03-01 10:15:30.5+0200", "2024-03-01T10:15:30Z")]);
    await new MemoryStorage().write("ts/project.json", text);
    const project = await Project.open("memory://ts/project.json", { mode: "w+", author: "x" });
    await project.save();
    const saved = new TextDecoder().decode(await new MemoryStorage().read("ts/project.json"));
    // The bytes Python wrote for the same file (open "w+", save).
    expect(saved).toBe(
      [
        "[",
        "    {",
        '        "artifacts": [],',
        '        "author": "x",',
        '        "created_at": "2024-03-01T10:15:30+02:00",',
        '        "dependencies": [],',
        '        "last_updated": "2024-03-01T10:15:30+00:00",',
        '        "last_updated_by": "x",',
        '        "metrics": {},',
        '        "name": "a",',
        '        "parameters": {},',
        '        "short_slug": "a",',
        '        "slug": "a-20240301101530",',
        '        "tags": [],',
        '        "tests": []',
        "    }",
        "]",
      ].join("\n"),
    );
    expect(project.get("a").createdAt).toEqual(new Date("2024-03-01T08:15:30.500Z"));
  });

  it("a changed experiment gets a naive UTC last_updated, its created_at keeps the offset", async () => {
    MemoryStorage.clear();
    const text = JSON.stringify([record("2024-03-01T10:15:30+02:00", "2024-03-01T10:15:30+02:00")]);
    await new MemoryStorage().write("ts/project.json", text);
    const project = await Project.open("memory://ts/project.json", { mode: "w+", author: "x" });
    project.get("a").logMetric("m", 1);
    const written = [...project][0];
    expect(written?.created_at).toBe("2024-03-01T10:15:30+02:00");
    expect(written?.last_updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  it("a file with a time Python refuses does not open, naming file, record and field", async () => {
    const text = JSON.stringify([
      record("2024-03-01T10:00:00", "2024-03-01T10:00:00"),
      record("2024-03-01T10:00:00", "2024-03-01T10:00:60"),
    ]);
    const error = (() => {
      try {
        parseProjectFile(text, "p.json");
      } catch (e) {
        return e;
      }
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.record).toBe(1);
    expect(error.path).toEqual(["last_updated"]);
    expect(error.message).toContain('"2024-03-01T10:00:60" is not a valid ISO 8601 timestamp');
  });

  it("an artifact's created_at is written as Python rewrites it; its expiry stays as written", () => {
    const parsed = ArtifactRecordSchema.parse({
      name: "a",
      fname: "a.json",
      handler: "json",
      created_at: "2024-03-01T10:15:30.123Z",
      expiry: "2024-04-01 00:00:00",
    });
    expect(parsed.created_at).toBe("2024-03-01T10:15:30+00:00");
    expect(parsed.expiry).toBe("2024-04-01 00:00:00");
    expect(
      ArtifactRecordSchema.safeParse({ ...parsed, expiry: "2024-04-31T00:00:00" }).error?.issues[0]
        ?.path,
    ).toEqual(["expiry"]);
  });

  it("a release keeps its offset through loads and dumps", () => {
    const [release] = loads(
      '[{"tag": "v1", "artifacts": [["a", 0]], "created_at": "2024-03-01T10:15:30-05:00"}]',
    );
    expect(release?.createdAt).toEqual(new Date("2024-03-01T15:15:30Z"));
    expect(release?.toJSON().created_at).toBe("2024-03-01T10:15:30-05:00");
    expect(new Release("v2", [], new Date("2024-03-01T10:15:30.7Z")).toJSON().created_at).toBe(
      "2024-03-01T10:15:30",
    );
  });
});
