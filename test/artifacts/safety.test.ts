import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkFname } from "../../src/artifacts/index.js";
import {
  ArtifactLoadError,
  ArtifactLogError,
  Experiment,
  LazyscribeError,
  Project,
  Repository,
  SaveError,
} from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { memoryFolder, useFakeClock } from "./helpers.js";

useFakeClock("2025-01-20T13:23:30Z");

const ESCAPING = [
  "../outside.json",
  "../../etc/passwd",
  "nested/../../x.json",
  "a/..",
  "..",
  "/etc/passwd",
  "/abs.json",
  "C:\\Windows\\x.json",
  "c:x.json",
  "..\\x.json",
  "a\\b.json",
  "x\u0000.json",
  "file:///etc/passwd",
  "s3://bucket/key.json",
  "",
  "folder/",
  "folder/.",
];

describe("artifact file names that would leave the folder", () => {
  it.each(ESCAPING)("%j is refused on an experiment", (fname) => {
    const exp = new Experiment({ name: "x" });
    expect(() => exp.logArtifact("a", [1], "json", { fname })).toThrow(ArtifactLogError);
    expect(exp.artifacts).toEqual([]);
  });

  it.each(ESCAPING)("%j is refused on a test", async (fname) => {
    const exp = new Experiment({ name: "x" });
    expect(() => exp.logTest("t", (test) => test.logArtifact("a", [1], "json", { fname }))).toThrow(
      ArtifactLogError,
    );
    expect(exp.tests).toEqual([]);
  });

  it.each(ESCAPING)("%j is refused on a repository", async (fname) => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`, { mode: "w" });
    expect(() => repository.logArtifact("a", [1], "json", { fname })).toThrow(ArtifactLogError);
    expect(repository.artifacts).toEqual([]);
  });

  it("the message says why and what a file name must be", () => {
    const exp = new Experiment({ name: "x" });
    expect(() => exp.logArtifact("a", [1], "json", { fname: "../x.json" })).toThrow(
      /artifact "a" of experiment "x-20250120132330": refused file name "..\/x.json": it has a ".." segment.*relative path inside its folder/,
    );
  });

  it("subfolders, dots inside names and unicode stay allowed", () => {
    const exp = new Experiment({ name: "x" });
    for (const fname of ["a/b/c.json", "./here.json", "v1.2..3.json", "é/ü.json", "..hidden"]) {
      exp.logArtifact(fname, [1], "json", { fname });
    }
    expect(exp.artifacts).toHaveLength(5);
  });

  it("property: an accepted file name always stays inside its folder", () => {
    const segment = fc.oneof(
      fc.constantFrom("..", ".", "", "a", "b.json", "\u0000", "\\", "C:", "/"),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        fc.constantFrom("/", ""),
        (parts, separator) => {
          const fname = parts.join(separator);
          let accepted = true;
          try {
            checkFname(fname, "artifact", LazyscribeError);
          } catch {
            accepted = false;
          }
          if (!accepted) return;
          const joined = posix.join("/project/exp", fname);
          const relative = posix.relative("/project/exp", joined);
          expect(relative === ".." || relative.startsWith("../")).toBe(false);
          expect(posix.isAbsolute(relative)).toBe(false);
          expect(relative).not.toBe("");
          expect(joined.includes("\u0000")).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("names that become folders", () => {
  it.each(["../x", "a/b", "..", ".", "", "x\u0000", "a\\b"])(
    "repository artifact name %j is refused",
    async (name) => {
      const repository = await Repository.open(`${memoryFolder()}/repository.json`);
      expect(() => repository.logArtifact(name, [1], "json")).toThrow(ArtifactLogError);
    },
  );

  it("a test name whose slug is empty keeps its artifacts in the experiment's folder, as in Python", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w" });
    await project.log("x", async (exp) => {
      await exp.logTest("!!!", (test) => test.logArtifact("a", [1], "json"));
    });
    await project.save();
    expect(existsSync(join(dir, "x-20250120132330", "a-20250120132330.json"))).toBe(true);
    const reread = await Project.open(join(dir, "project.json"), { mode: "r" });
    expect(await reread.get("x").tests[0]?.loadArtifact("a")).toEqual([1]);
  });

  it("a test name with ../ in it still writes inside the experiment's folder (its slug has no slash)", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w" });
    await project.log("x", async (exp) => {
      await exp.logTest("../../escape", (test) => test.logArtifact("a", [1], "json"));
    });
    await project.save();
    expect(existsSync(join(dir, "x-20250120132330", "escape", "a-20250120132330.json"))).toBe(true);
    expect(existsSync(join(dir, "..", "escape"))).toBe(false);
  });
});

describe("files written by someone else cannot make lazyscribe read or write outside", () => {
  function projectRecord(overrides: object) {
    return {
      name: "x",
      author: "mallory",
      created_at: "2025-01-20T13:23:30",
      last_updated: "2025-01-20T13:23:30",
      slug: "x-20250120132330",
      artifacts: [
        {
          name: "a",
          fname: "a.json",
          handler: "json",
          created_at: "2025-01-20T13:23:30",
          expiry: null,
          version: 0,
        },
      ],
      ...overrides,
    };
  }

  it("an artifact fname with ../ in a project file is refused on load", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "secret.json"), '"secret"');
    const record = projectRecord({});
    record.artifacts[0] = { ...(record.artifacts[0] as object), fname: "../secret.json" } as never;
    writeFileSync(join(dir, "project.json"), JSON.stringify([record]));
    const project = await Project.open(join(dir, "project.json"), { mode: "r" });
    await expect(project.get("x").loadArtifact("a")).rejects.toThrow(ArtifactLoadError);
    await expect(project.get("x").loadArtifact("a")).rejects.toThrow(/refused file name/);
  });

  it("an experiment slug with ../ in a project file cannot name its artifact folder", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "project.json"), JSON.stringify([projectRecord({ slug: ".." })]));
    const project = await Project.open(join(dir, "project.json"), { mode: "r" });
    await expect(project.get("..").loadArtifact("a")).rejects.toThrow(/cannot name a folder/);
  });

  it("a repository artifact named ../x in a repository file is refused on load", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "repository.json"),
      JSON.stringify([
        {
          name: "../x",
          fname: "x.json",
          handler: "json",
          created_at: "2025-01-20T13:23:30",
          expiry: null,
          version: 0,
        },
      ]),
    );
    const repository = await Repository.open(join(dir, "repository.json"), { mode: "r" });
    await expect(repository.loadArtifact("../x")).rejects.toThrow(/cannot name a folder/);
  });
});

describe("a failed artifact write", () => {
  it("is a SaveError naming the artifact and the path, and leaves the project file as it was", async () => {
    const dir = tempDir();
    const file = join(dir, "project.json");
    const project = await Project.open(file, { mode: "w" });
    project.log("First");
    await project.save();
    const before = readFileSync(file, "utf8");
    const exp = project.log("Second", (e) => e.logArtifact("blocked", [1], "json"));
    const target = join(dir, exp.slug, "blocked-20250120132330.json");
    mkdirSync(join(target, "in-the-way"), { recursive: true });
    const saving = project.save();
    await expect(saving).rejects.toThrow(SaveError);
    await expect(project.save()).rejects.toThrow(
      new RegExp(
        `artifact "blocked" of experiment "${exp.slug}" to .*blocked-20250120132330\\.json`,
      ),
    );
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("leaves no project file when there was none", async () => {
    const dir = tempDir();
    const file = join(dir, "project.json");
    const project = await Project.open(file, { mode: "w" });
    const exp = project.log("x", (e) => e.logArtifact("blocked", [1], "json"));
    mkdirSync(join(dir, exp.slug, "blocked-20250120132330.json", "x"), { recursive: true });
    await expect(project.save()).rejects.toThrow(SaveError);
    expect(existsSync(file)).toBe(false);
  });

  it("in a repository leaves the repository file as it was", async () => {
    const dir = tempDir();
    const file = join(dir, "repository.json");
    const repository = await Repository.open(file, { mode: "w" });
    repository.logArtifact("ok", [1], "json");
    await repository.save();
    const before = readFileSync(file, "utf8");
    repository.logArtifact("blocked", [1], "json");
    mkdirSync(join(dir, "blocked", "blocked-20250120132330.json", "x"), { recursive: true });
    await expect(repository.save()).rejects.toThrow(/artifact "blocked" version 0 of repository/);
    expect(readFileSync(file, "utf8")).toBe(before);
  });
});
