import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createRelease,
  findRelease,
  InvalidVersionError,
  LazyscribeError,
  minimalRepositoryFromRelease,
  Release,
  Repository,
  release,
  releaseFromConfigFile,
  releaseFromPackageJson,
  releaseFromToml,
  ValidationError,
  VersionNotFoundError,
} from "../../src/index.js";
import { fixture, fixtureText, tempDir } from "../helpers/fixtures.js";
import { at, memoryFolder, useFakeClock } from "./helpers.js";

useFakeClock("2025-06-01T00:00:00Z");

const date = (iso: string) => new Date(`${iso}Z`);

/** A saved repository: my-data v0, my-features v0 (Jan 20), my-data v1 (Jan 21). */
async function repositoryIn(dir: string): Promise<string> {
  const file = join(dir, "repository.json");
  const repository = await Repository.open(file, { mode: "w" });
  at("2025-01-20T13:23:30");
  repository.logArtifact("my-data", [{ a: 1 }], "json");
  repository.logArtifact("my-features", [0], "json");
  at("2025-01-21T13:23:30");
  repository.logArtifact("my-data", [{ a: 2 }], "json");
  await repository.save();
  at("2025-06-01T00:00:00");
  return file;
}

const THREE = [
  new Release("v0.1.0", [], date("2025-01-01T00:00:00")),
  new Release("v0.2.0", [], date("2025-02-01T00:00:00")),
  new Release("v0.2.1", [], date("2025-03-01T00:00:00")),
];

describe("createRelease (Python's release suite)", () => {
  it("holds the newest version of each artifact, sorted by name, made now", async () => {
    const repository = await Repository.open(await repositoryIn(tempDir()), { mode: "r" });
    const made = createRelease(repository, "v0.1.0");
    expect(made).toEqual(
      new Release(
        "v0.1.0",
        [
          ["my-data", 1],
          ["my-features", 0],
        ],
        date("2025-06-01T00:00:00"),
      ),
    );
    expect(made.toJSON()).toEqual({
      tag: "v0.1.0",
      artifacts: [
        ["my-data", 1],
        ["my-features", 0],
      ],
      created_at: "2025-06-01T00:00:00",
    });
  });

  it("converts from Python's dictionary", () => {
    expect(
      Release.fromJSON({ tag: "v0.1.0", artifacts: [], created_at: "2025-01-01T00:00:00" }),
    ).toEqual(new Release("v0.1.0", [], date("2025-01-01T00:00:00")));
    expect(() => Release.fromJSON({ tag: 1 })).toThrow(ValidationError);
  });

  it("filters the repository to exactly its versions, after newer ones were logged", async () => {
    const dir = tempDir();
    const file = await repositoryIn(dir);
    const made = createRelease(await Repository.open(file, { mode: "r" }), "v0.1.0");
    const repository = await Repository.open(file, { mode: "w+" });
    at("2025-01-22T13:23:30");
    repository.logArtifact("my-features", [0, 1], "json");
    repository.logArtifact("my-metadata", { process_ver: 1.0 }, "json");
    await repository.save();
    const filtered = (await Repository.open(file, { mode: "r" })).filter(made.artifacts);
    expect(filtered.artifacts.map((a) => [a.name, a.version])).toEqual([
      ["my-data", 1],
      ["my-features", 0],
    ]);
    expect(await filtered.loadArtifact("my-features")).toEqual([0]);
  });

  it("refuses a repository with unsaved changes, and leaves out expired artifacts", async () => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    repository.logArtifact("a", [1], "json");
    repository.logArtifact("gone", [1], "json");
    expect(() => createRelease(repository, "v1")).toThrow(LazyscribeError);
    repository.setArtifactExpiry("gone");
    await repository.save();
    expect(createRelease(repository, "v1").artifacts).toEqual([["a", 0]]);
  });
});

describe("findRelease", () => {
  it("gives the newest release without a version", () => {
    expect(findRelease(THREE)).toBe(THREE[2]);
    expect(() => findRelease([])).toThrow(VersionNotFoundError);
  });

  it("finds by tag, with Python's message when there is none", () => {
    expect(findRelease(THREE, "v0.2.0")).toBe(THREE[1]);
    expect(() => findRelease(THREE, "v1.0.0")).toThrow("cannot find release with tag 'v1.0.0'");
  });

  it("finds by exact creation date", () => {
    expect(findRelease(THREE, date("2025-01-01T00:00:00"))).toBe(THREE[0]);
    expect(() => findRelease(THREE, date("2025-06-01T00:00:00"))).toThrow(
      "cannot find release with creation date of 2025-06-01T00:00:00",
    );
  });

  it("refuses asof with a tag, and an unknown match", () => {
    expect(() => findRelease([], "v0.1.0", { match: "asof" })).toThrow(InvalidVersionError);
    expect(() => findRelease([], "v0.1.0", { match: "nope" as never })).toThrow(ValidationError);
  });

  it("finds asof a date: refused before the first, the newest after the last", () => {
    expect(() => findRelease(THREE, date("2024-12-15T00:00:00"), { match: "asof" })).toThrow(
      "creation date 2024-12-15T00:00:00 predates the earliest release: 'v0.1.0' (2025-01-01T00:00:00)",
    );
    expect(findRelease(THREE, date("2025-02-15T00:00:00"), { match: "asof" })).toBe(THREE[1]);
    expect(findRelease(THREE, date("2025-02-01T00:00:00"), { match: "asof" })).toBe(THREE[1]);
    expect(findRelease(THREE, date("2025-06-01T00:00:00"), { match: "asof" })).toBe(THREE[2]);
  });

  it("property: asof gives the newest release made at or before the date, whatever the list's order", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: -10, max: 1010 }),
        (days, day) => {
          const releases = days.map(
            (d) => new Release(`v${d}`, [], new Date(Date.UTC(2025, 0, 1) + d * 86_400_000)),
          );
          const when = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000);
          const eligible = days.filter((d) => d <= day);
          if (eligible.length === 0) {
            expect(() => findRelease(releases, when, { match: "asof" })).toThrow(
              VersionNotFoundError,
            );
          } else {
            expect(findRelease(releases, when, { match: "asof" }).tag).toBe(
              `v${Math.max(...eligible)}`,
            );
          }
        },
      ),
    );
  });
});

describe("dump, dumps, load, loads: Python's releases.json", () => {
  it("dumps as Python's json.dumps", () => {
    expect(release.dumps([THREE[0] as Release])).toBe(
      '[{"tag": "v0.1.0", "artifacts": [], "created_at": "2025-01-01T00:00:00"}]',
    );
    expect(release.dumps([THREE[0] as Release], { indent: 4 })).toBe(
      '[\n    {\n        "tag": "v0.1.0",\n        "artifacts": [],\n        "created_at": "2025-01-01T00:00:00"\n    }\n]',
    );
  });

  it("loads from a string and from a file; dump and load round-trip", async () => {
    expect(
      release.loads('[{"tag": "v0.1.0", "artifacts": [], "created_at": "2025-01-01T00:00:00"}]'),
    ).toEqual([THREE[0]]);
    const file = join(tempDir(), "releases.json");
    await release.dump(THREE, file);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual([
      { tag: "v0.1.0", artifacts: [], created_at: "2025-01-01T00:00:00" },
      { tag: "v0.2.0", artifacts: [], created_at: "2025-02-01T00:00:00" },
      { tag: "v0.2.1", artifacts: [], created_at: "2025-03-01T00:00:00" },
    ]);
    expect(await release.load(file)).toEqual(THREE);
  });

  it("reproduces Python's fixture bytes", async () => {
    const releases = await release.load(fixture("repository", "releases.json"));
    expect(release.dumps(releases)).toBe(fixtureText("repository", "releases.json"));
  });

  it("reports a bad releases file with the file, the release and the field", async () => {
    const file = join(tempDir(), "releases.json");
    writeFileSync(file, '[{"tag": "v1", "artifacts": [["a", -1]], "created_at": "2025-01-01"}]');
    await expect(release.load(file)).rejects.toThrow(
      /releases\.json, record 0, field "artifacts\.0\.1"/,
    );
  });
});

describe("releases from pyproject.toml and package.json", () => {
  it("makes a release for each repository listed in pyproject.toml", async () => {
    const dir = tempDir();
    const file = await repositoryIn(dir);
    const results = await releaseFromToml(
      `[project]\nversion = "1.0.0"\n\n[tool.lazyscribe]\nrepositories = ["${file}"]\n`,
    );
    expect(results).toEqual([
      {
        repository: file,
        releasesFile: join(dir, "releases.json"),
        release: new Release(
          "v1.0.0",
          [
            ["my-data", 1],
            ["my-features", 0],
          ],
          date("2025-06-01T00:00:00"),
        ),
        created: true,
      },
    ]);
    expect(readFileSync(join(dir, "releases.json"), "utf8")).toBe(
      release.dumps(
        [
          new Release(
            "v1.0.0",
            [
              ["my-data", 1],
              ["my-features", 0],
            ],
            date("2025-06-01T00:00:00"),
          ),
        ],
        { indent: 4 },
      ),
    );
  });

  it("adds to an existing releases.json, and skips a tag it already has", async () => {
    const dir = tempDir();
    const file = await repositoryIn(dir);
    const repository = await Repository.open(file);
    at("2025-01-22T13:23:30");
    repository.logArtifact("my-features", [0, 1], "json");
    repository.logArtifact("my-metadata", { process_ver: 1.0 }, "json");
    await repository.save();
    const v1 = new Release(
      "v1.0.0",
      [
        ["my-data", 1],
        ["my-features", 0],
      ],
      date("2025-01-22T00:00:00"),
    );
    await release.dump([v1], join(dir, "releases.json"));
    at("2025-06-01T00:00:00");
    const toml = `[project]\nversion = "2.0.0"\n[tool.lazyscribe]\nrepositories = ["${file}"]\n`;
    const [first] = await releaseFromToml(toml);
    expect(first?.created).toBe(true);
    const v2 = new Release(
      "v2.0.0",
      [
        ["my-data", 1],
        ["my-features", 1],
        ["my-metadata", 0],
      ],
      date("2025-06-01T00:00:00"),
    );
    expect(await release.load(join(dir, "releases.json"))).toEqual([v1, v2]);
    at("2025-07-01T00:00:00");
    const [again] = await releaseFromToml(toml);
    expect(again?.created).toBe(false);
    expect(await release.load(join(dir, "releases.json"))).toEqual([v1, v2]);
  });

  it("uses [tool.lazyscribe] version and a custom format", async () => {
    const dir = tempDir();
    const file = await repositoryIn(dir);
    const [result] = await releaseFromToml(
      `[tool.lazyscribe]\nversion = "1.0.0"\nrepositories = ["${file}"]\nformat = "v{year}.{month}.{day}"\n`,
    );
    expect(result?.release.tag).toBe("v2025.6.1");
    expect((await release.load(join(dir, "releases.json")))[0]?.tag).toBe("v2025.6.1");
  });

  it("refuses a configuration without repositories, without a version, or with an unknown field", async () => {
    await expect(releaseFromToml('[project]\nversion = "1"\n')).rejects.toThrow(ValidationError);
    await expect(releaseFromToml('[tool.lazyscribe]\nrepositories = ["r.json"]\n')).rejects.toThrow(
      /no version to release/,
    );
    await expect(releaseFromToml("not = [toml")).rejects.toThrow(/not valid TOML/);
    const dir = tempDir();
    const file = await repositoryIn(dir);
    await expect(
      releaseFromToml(
        `[tool.lazyscribe]\nversion = "1"\nrepositories = ["${file}"]\nformat = "v{build}"\n`,
      ),
    ).rejects.toThrow(/\{build\}/);
  });

  it("makes releases from a package.json's version and lazyscribe.repositories", async () => {
    const dir = tempDir();
    const a = join(dir, "models", "a");
    const b = join(dir, "models", "b");
    await repositoryIn(a);
    await repositoryIn(b);
    const results = await releaseFromPackageJson(
      JSON.stringify({
        name: "my-app",
        version: "3.1.0",
        lazyscribe: { repositories: ["models/a/repository.json", "models/b/repository.json"] },
      }),
      { baseDir: dir },
    );
    expect(results.map((r) => [r.release.tag, r.created])).toEqual([
      ["v3.1.0", true],
      ["v3.1.0", true],
    ]);
    expect(existsSync(join(a, "releases.json"))).toBe(true);
    expect((await release.load(join(b, "releases.json")))[0]?.artifacts).toEqual([
      ["my-data", 1],
      ["my-features", 0],
    ]);
  });

  it("reads a configuration file and resolves repositories beside it", async () => {
    const dir = tempDir();
    await repositoryIn(dir);
    writeFileSync(
      join(dir, "pyproject.toml"),
      '[project]\nversion = "0.3.0"\n[tool.lazyscribe]\nrepositories = ["repository.json"]\n',
    );
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ version: "0.4.0", lazyscribe: { repositories: ["repository.json"] } }),
    );
    await releaseFromConfigFile(join(dir, "pyproject.toml"));
    at("2025-06-02T00:00:00");
    await releaseFromConfigFile(join(dir, "package.json"));
    expect((await release.load(join(dir, "releases.json"))).map((r) => r.tag)).toEqual([
      "v0.3.0",
      "v0.4.0",
    ]);
    await expect(releaseFromConfigFile(join(dir, "missing.toml"))).rejects.toThrow(
      /no configuration file/,
    );
  });

  it("works on memory://", async () => {
    const folder = memoryFolder();
    const repository = await Repository.open(`${folder}/repository.json`);
    repository.logArtifact("x", [1], "json");
    await repository.save();
    await releaseFromPackageJson(
      JSON.stringify({
        version: "1.0.0",
        lazyscribe: { repositories: [`${folder}/repository.json`] },
      }),
    );
    expect((await release.load(`${folder}/releases.json`))[0]?.artifacts).toEqual([["x", 0]]);
  });
});

describe("minimalRepositoryFromRelease", () => {
  it("without a target, is the read-only view of the release's versions", async () => {
    const repository = await Repository.open(fixture("repository", "repository.json"), {
      mode: "r",
    });
    const [v090] = await release.load(fixture("repository", "releases.json"));
    const minimal = await minimalRepositoryFromRelease(repository, v090 as Release);
    expect(minimal.mode).toBe("r");
    expect(minimal.artifacts.map((a) => [a.name, a.version])).toEqual([
      ["features", 0],
      ["thresholds", 0],
    ]);
    expect(await minimal.loadArtifact("features", { version: 0 })).toEqual([0, 1, 2]);
  });

  it("with a target, writes a repository holding just those versions and their files", async () => {
    const repository = await Repository.open(fixture("repository", "repository.json"), {
      mode: "r",
    });
    const releases = await release.load(fixture("repository", "releases.json"));
    const v100 = findRelease(releases, "v1.0.0");
    const target = join(tempDir(), "deploy", "repository.json");
    const minimal = await minimalRepositoryFromRelease(repository, v100, { target });
    expect(minimal.fpath).toBe(target);
    expect([...minimal].map((r) => [r.name, r.version])).toEqual([
      ["features", 1],
      ["thresholds", 0],
    ]);
    expect(await minimal.loadArtifact("features")).toEqual([0, 1, 2, 3]);
    expect(await minimal.loadArtifact("thresholds")).toEqual({ cut: 0.5 });
    expect(createRelease(minimal, "v1.0.0", { createdAt: v100.createdAt })).toEqual(v100);
  });
});
