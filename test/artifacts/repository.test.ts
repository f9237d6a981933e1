import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ArtifactLoadError,
  InvalidVersionError,
  LazyscribeError,
  NotFoundError,
  ReadOnlyError,
  Repository,
  ValidationError,
  VersionNotFoundError,
} from "../../src/index.js";
import { fixture, tempDir } from "../helpers/fixtures.js";
import { at, memoryFolder, useFakeClock } from "./helpers.js";

useFakeClock("2025-01-20T13:23:30Z");

/** A saved repository with my-dict v0 (Jan 20), my-dict2 v0 (Jan 20), my-dict v1 (Jan 21). */
async function threeVersions(dir = tempDir()): Promise<string> {
  const file = join(dir, "repository.json");
  const repository = await Repository.open(file);
  at("2025-01-20T13:23:30");
  repository.logArtifact("my-dict", { a: 1 }, "json");
  repository.logArtifact("my-dict2", { b: 2 }, "json");
  at("2025-01-21T13:23:30");
  repository.logArtifact("my-dict", { a: 1, d: 2 }, "json");
  await repository.save();
  return file;
}

describe("Repository: logging and saving (Python's repository suite)", () => {
  it("logs an artifact, found by name; unknown names are not found", async () => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    const logged = repository.logArtifact("my-dict", { a: 1 }, "json");
    expect(repository.artifacts).toHaveLength(1);
    expect(repository.get("my-dict")).toEqual(logged);
    expect(logged).toMatchObject({ name: "my-dict", version: 0, dirty: true, expiry: null });
    expect(repository.has("my-dict")).toBe(true);
    expect(() => repository.get("not a real artifact")).toThrow(NotFoundError);
  });

  it("saves the repository file and the artifact under <folder>/<name>/", async () => {
    const dir = tempDir();
    const file = join(dir, "repository.json");
    const repository = await Repository.open(file);
    repository.logArtifact("my-dict", { a: 1 }, "json");
    await repository.save();
    expect(repository.get("my-dict").dirty).toBe(false);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual([
      {
        created_at: "2025-01-20T13:23:30",
        expiry: null,
        fname: "my-dict-20250120132330.json",
        handler: "json",
        name: "my-dict",
        version: 0,
      },
    ]);
    const read = await Repository.open(file, { mode: "r" });
    expect(await read.loadArtifact("my-dict")).toEqual({ a: 1 });
    expect(readFileSync(join(dir, "my-dict", "my-dict-20250120132330.json"), "utf8")).toBe(
      '{"a": 1}',
    );
  });

  it("reopened in w+, keeps the saved artifacts and adds new ones", async () => {
    const dir = tempDir();
    const file = join(dir, "repository.json");
    const first = await Repository.open(file);
    first.logArtifact("my-dict", { a: 1 }, "json");
    await first.save();
    const again = await Repository.open(file, { mode: "w+" });
    again.logArtifact("my-dict-2", { b: 2 }, "json");
    expect(again.get("my-dict").dirty).toBe(false);
    expect(again.get("my-dict-2").dirty).toBe(true);
    await again.save();
    expect([...again].map((r) => r.name)).toEqual(["my-dict", "my-dict-2"]);
    expect(await again.loadArtifact("my-dict")).toEqual({ a: 1 });
    expect(await again.loadArtifact("my-dict-2")).toEqual({ b: 2 });
  });

  it("numbers versions per name, and mode w starts afresh", async () => {
    const file = await threeVersions();
    const repository = await Repository.open(file, { mode: "r" });
    expect(repository.artifacts.map((a) => [a.name, a.version])).toEqual([
      ["my-dict", 0],
      ["my-dict2", 0],
      ["my-dict", 1],
    ]);
    const fresh = await Repository.open(file, { mode: "w" });
    expect(fresh.artifacts).toEqual([]);
  });

  it("refuses to log, expire or save in mode r", async () => {
    const repository = await Repository.open(fixture("upstream-tests-data", "repository.json"), {
      mode: "r",
    });
    expect(() => repository.logArtifact("name", [1, 2, 3], "json")).toThrow(ReadOnlyError);
    expect(() => repository.setArtifactExpiry("test")).toThrow(ReadOnlyError);
    await expect(repository.save()).rejects.toThrow(ReadOnlyError);
    expect(repository.artifacts).toHaveLength(4);
  });

  it("refuses an unknown mode", async () => {
    await expect(Repository.open("r.json", { mode: "a" as never })).rejects.toThrow(
      ValidationError,
    );
  });

  it("reports a bad repository file with the file, the record and the field", async () => {
    const { writeFileSync } = await import("node:fs");
    const dir = tempDir();
    writeFileSync(join(dir, "repository.json"), '[{"name": "x", "fname": "x.json"}]');
    await expect(Repository.open(join(dir, "repository.json"))).rejects.toThrow(
      /repository\.json, record 0, field "handler"/,
    );
  });
});

describe("Repository: versions", () => {
  it("loads by integer version, by Date and by ISO string, and the newest by default", async () => {
    const repository = await Repository.open(await threeVersions(), { mode: "r" });
    for (const version of [0, new Date("2025-01-20T13:23:30Z"), "2025-01-20T13:23:30"]) {
      expect(await repository.loadArtifact("my-dict", { version })).toEqual({ a: 1 });
    }
    for (const version of [undefined, 1, new Date("2025-01-21T13:23:30Z"), "2025-01-21T13:23:30"]) {
      expect(await repository.loadArtifact("my-dict", { version })).toEqual({ a: 1, d: 2 });
    }
    expect(await repository.loadArtifact("my-dict2", { version: 0 })).toEqual({ b: 2 });
  });

  it("refuses versions that do not exist, and names that do not", async () => {
    const repository = await Repository.open(await threeVersions(), { mode: "r" });
    for (const version of [2, "2025-01-22T12:23:32", new Date("2025-01-22T13:23:30Z")]) {
      await expect(repository.loadArtifact("my-dict", { version })).rejects.toThrow(
        VersionNotFoundError,
      );
    }
    await expect(repository.loadArtifact("my-dict2", { version: 1 })).rejects.toThrow(
      VersionNotFoundError,
    );
    await expect(repository.loadArtifact("my-dict3")).rejects.toThrow(NotFoundError);
  });

  it("refuses an invalid version string, a negative version, asof with an integer, and an unknown match", async () => {
    const repository = await Repository.open(await threeVersions(), { mode: "r" });
    await expect(repository.loadArtifact("my-dict", { version: "yesterday" })).rejects.toThrow(
      InvalidVersionError,
    );
    await expect(repository.loadArtifact("my-dict", { version: -1 })).rejects.toThrow(
      InvalidVersionError,
    );
    await expect(repository.loadArtifact("my-dict", { version: 0, match: "asof" })).rejects.toThrow(
      InvalidVersionError,
    );
    expect(() =>
      repository.getArtifactMetadata("my-dict", {
        version: new Date("2025-01-01"),
        match: "fake" as never,
      }),
    ).toThrow(ValidationError);
  });

  it("asof gives the newest version created at or before the time", async () => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    at("2025-01-01T00:00:00");
    repository.logArtifact("my-dict", { a: 1 }, "json");
    at("2025-02-01T00:00:00");
    repository.logArtifact("my-dict", { a: 2 }, "json");
    at("2025-03-01T00:00:00");
    repository.logArtifact("my-dict", { a: 3 }, "json");
    await repository.save();
    const asof = (version: string) =>
      repository.loadArtifact("my-dict", { version, match: "asof" });
    expect(await asof("2025-01-15T00:00:00")).toEqual({ a: 1 });
    expect(await asof("2025-02-01T00:00:00")).toEqual({ a: 2 });
    expect(await asof("2025-03-15T00:00:00")).toEqual({ a: 3 });
    await expect(asof("2024-12-31T23:59:59")).rejects.toThrow(/predates its earliest version/);
  });

  it("getArtifactMetadata gives Python's record", async () => {
    const repository = await Repository.open(await threeVersions(), { mode: "r" });
    expect(repository.getArtifactMetadata("my-dict", { version: 0 })).toEqual({
      created_at: "2025-01-20T13:23:30",
      expiry: null,
      fname: "my-dict-20250120132330.json",
      handler: "json",
      name: "my-dict",
      version: 0,
    });
  });

  it("loads a version logged but not saved yet", async () => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    repository.logArtifact("x", [1], "json");
    expect(await repository.loadArtifact("x")).toEqual([1]);
  });
});

describe("Repository: expiry", () => {
  async function expiring() {
    const folder = memoryFolder();
    const repository = await Repository.open(`${folder}/repository.json`);
    at("2025-01-01T00:00:00");
    repository.logArtifact("features", [0], "json");
    at("2025-02-01T00:00:00");
    repository.logArtifact("features", [0, 1], "json");
    at("2025-03-01T00:00:00");
    repository.setArtifactExpiry("features", { version: 1, expiry: "2025-02-15T00:00:00" });
    await repository.save();
    return Repository.open(`${folder}/repository.json`, { mode: "r" });
  }

  it("is read back as a Date", async () => {
    const repository = await expiring();
    expect(repository.artifacts[1]?.expiry).toEqual(new Date("2025-02-15T00:00:00Z"));
    expect(repository.getArtifactMetadata("features", { version: 1 }).expiry).toBe(
      "2025-02-15T00:00:00",
    );
  });

  it("the newest version skips expired ones", async () => {
    const repository = await expiring();
    expect(await repository.loadArtifact("features")).toEqual([0]);
  });

  it("asof honours expiry; exact and integer versions ignore it", async () => {
    const repository = await expiring();
    const asof = (version: string) =>
      repository.loadArtifact("features", { version, match: "asof" });
    expect(await asof("2025-02-10T00:00:00")).toEqual([0, 1]);
    expect(await asof("2025-02-15T00:00:00")).toEqual([0]);
    expect(await asof("2025-06-01T00:00:00")).toEqual([0]);
    expect(await repository.loadArtifact("features", { version: 1 })).toEqual([0, 1]);
    expect(await repository.loadArtifact("features", { version: "2025-02-01T00:00:00" })).toEqual([
      0, 1,
    ]);
  });

  it("when every version has expired, none is the newest, and asof after expiry finds none", async () => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    at("2025-01-01T00:00:00");
    repository.logArtifact("old", [0], "json");
    at("2025-01-02T00:00:00");
    repository.setArtifactExpiry("old");
    expect(repository.get("old").expiry).toEqual(new Date("2025-01-02T00:00:00Z"));
    await expect(repository.loadArtifact("old")).rejects.toThrow(/has expired/);
    await expect(
      repository.loadArtifact("old", { version: "2025-01-03T00:00:00", match: "asof" }),
    ).rejects.toThrow(/had expired/);
    expect(await repository.loadArtifact("old", { version: 0 })).toEqual([0]);
  });

  it("null removes an expiry; a bad expiry is refused", async () => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    repository.logArtifact("x", [0], "json");
    repository.setArtifactExpiry("x", { expiry: new Date("2030-01-01T00:00:00.750Z") });
    expect(repository.get("x").expiry).toEqual(new Date("2030-01-01T00:00:00Z"));
    repository.setArtifactExpiry("x", { expiry: null, version: 0 });
    expect(repository.get("x").expiry).toBeNull();
    expect(() => repository.setArtifactExpiry("x", { expiry: "soon" })).toThrow(ValidationError);
  });
});

describe("Repository: getVersionDiff", () => {
  async function texts() {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    at("2025-01-01T00:00:00");
    repository.logArtifact("lines", ["a", "b", "c"], "json", { indent: 4 });
    at("2025-01-02T00:00:00");
    repository.logArtifact("lines", ["a", "B", "c", "d"], "json", { indent: 4 });
    at("2025-01-03T00:00:00");
    repository.logArtifact("lines", ["a", "B", "c", "d"], "json", { indent: 4 });
    return repository;
  }

  it("refuses versions that are not saved yet", async () => {
    const repository = await texts();
    await expect(repository.getVersionDiff("lines", 0)).rejects.toThrow(/not saved yet/);
  });

  it("gives a unified diff of a version against the newest, and of a pair (older first)", async () => {
    const repository = await texts();
    await repository.save();
    const expected = [
      "--- lines/lines-20250101000000.json",
      "+++ lines/lines-20250102000000.json",
      "@@ -1,5 +1,6 @@",
      " [",
      '     "a",',
      '-    "b",',
      '-    "c"',
      '+    "B",',
      '+    "c",',
      '+    "d"',
      " ]",
      "",
    ].join("\n");
    expect(await repository.getVersionDiff("lines", [1, 0])).toBe(expected);
    expect(await repository.getVersionDiff("lines", [0, "2025-01-02T00:00:00"])).toBe(expected);
    expect(await repository.getVersionDiff("lines", 1)).toBe("");
    expect(await repository.getVersionDiff("lines", 0)).toContain(
      "+++ lines/lines-20250103000000.json",
    );
  });

  it("refuses binary artifacts", async () => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    repository.logArtifact("bin", [1], "v8");
    at("2025-01-21T00:00:00");
    repository.logArtifact("bin", [2], "v8");
    await repository.save();
    await expect(repository.getVersionDiff("bin", 0)).rejects.toThrow(ArtifactLoadError);
    await expect(repository.getVersionDiff("bin", 0)).rejects.toThrow(/binary/);
  });
});

describe("Repository: filter", () => {
  async function saved() {
    const file = await threeVersions();
    return Repository.open(file, { mode: "r" });
  }

  it("by date: the newest version of each artifact as of then, read-only", async () => {
    const repository = await saved();
    const filtered = repository.filter("2025-01-20T23:00:00");
    expect(filtered.mode).toBe("r");
    expect(filtered.artifacts.map((a) => [a.name, a.version])).toEqual([
      ["my-dict", 0],
      ["my-dict2", 0],
    ]);
    expect(await filtered.loadArtifact("my-dict")).toEqual({ a: 1 });
    expect(() => filtered.logArtifact("x", 1, "json")).toThrow(ReadOnlyError);
    const later = repository.filter(new Date("2025-02-01T00:00:00Z"));
    expect(later.artifacts.map((a) => [a.name, a.version])).toEqual([
      ["my-dict", 1],
      ["my-dict2", 0],
    ]);
  });

  it("leaves out artifacts with no version as of the date", async () => {
    const repository = await saved();
    expect(repository.filter("2024-01-01T00:00:00").artifacts).toEqual([]);
  });

  it("by a list of exact versions", async () => {
    const repository = await saved();
    const filtered = repository.filter([
      ["my-dict", 0],
      ["my-dict2", "2025-01-20T13:23:30"],
    ]);
    expect(filtered.artifacts.map((a) => [a.name, a.version])).toEqual([
      ["my-dict", 0],
      ["my-dict2", 0],
    ]);
    expect(() => repository.filter([["my-dict", 7]])).toThrow(VersionNotFoundError);
  });

  it("refuses a repository with unsaved changes", async () => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    repository.logArtifact("x", [1], "json");
    expect(() => repository.filter("2030-01-01T00:00:00")).toThrow(LazyscribeError);
  });
});

/** The model of Python's search, on plain numbers: versions sorted by time, expiry honoured by asof. */
interface Version {
  created: number;
  expiry: number | null;
  version: number;
}

describe("Repository: version lookup properties", () => {
  const versionsArb = fc
    .array(
      fc.record({
        created: fc.integer({ min: 0, max: 40 }),
        expiresAfter: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((list) => list.sort((a, b) => a.created - b.created));

  const DAY = 86_400_000;
  const BASE = Date.UTC(2025, 0, 1);

  async function build(list: { created: number; expiresAfter: number | null }[]) {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    const model: Version[] = [];
    list.forEach((v, version) => {
      at(new Date(BASE + v.created * DAY).toISOString().slice(0, 19));
      repository.logArtifact("a", version, "json");
      const expiry = v.expiresAfter === null ? null : BASE + (v.created + v.expiresAfter) * DAY;
      if (expiry !== null) {
        repository.setArtifactExpiry("a", { version, expiry: new Date(expiry) });
      }
      model.push({ created: BASE + v.created * DAY, expiry, version });
    });
    await repository.save();
    return { repository, model };
  }

  function modelAsof(model: Version[], when: number): number | undefined {
    const eligible = model.filter((v) => v.created <= when);
    for (let i = eligible.length - 1; i >= 0; i--) {
      const v = eligible[i] as Version;
      if (v.expiry === null || when < v.expiry) return v.version;
    }
    return undefined;
  }

  it("asof gives the newest version created at or before the time that had not expired then", async () => {
    await fc.assert(
      fc.asyncProperty(versionsArb, fc.integer({ min: -2, max: 70 }), async (list, day) => {
        const { repository, model } = await build(list);
        const when = new Date(BASE + day * DAY + 3_600_000);
        const expected = modelAsof(model, when.getTime());
        if (expected === undefined) {
          expect(() =>
            repository.getArtifactMetadata("a", { version: when, match: "asof" }),
          ).toThrow(VersionNotFoundError);
        } else {
          expect(
            repository.getArtifactMetadata("a", { version: when, match: "asof" }).version,
          ).toBe(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("exact finds a version by its creation second or its number, expired or not", async () => {
    await fc.assert(
      fc.asyncProperty(versionsArb, async (list) => {
        const { repository, model } = await build(list);
        for (const v of model) {
          expect(repository.getArtifactMetadata("a", { version: v.version }).version).toBe(
            v.version,
          );
          const firstAtThatTime = model.find((m) => m.created === v.created) as Version;
          expect(
            repository.getArtifactMetadata("a", { version: new Date(v.created + 999) }).version,
          ).toBe(firstAtThatTime.version);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("versions are numbered 0, 1, 2... in the order they are logged", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 12 }),
        async (names) => {
          const repository = await Repository.open(`${memoryFolder()}/repository.json`);
          const counts = new Map<string, number>();
          for (const name of names) {
            const logged = repository.logArtifact(name, 1, "json");
            expect(logged.version).toBe(counts.get(name) ?? 0);
            counts.set(name, (counts.get(name) ?? 0) + 1);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
