/**
 * Saving through a symbolic link writes the file it points to and leaves the link in place,
 * as Python does: a project, repository or releases file shared through a link gets every
 * save, and the lock is taken beside the real file.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Project, Repository, release, serializeProjectFile } from "../../src/index.js";
import { LocalStorage } from "../../src/storage/index.js";
import { tempDir } from "../helpers/fixtures.js";

/** `work/<name>` linked (by a relative link) to `shared/<name>`. */
function linked(name: string) {
  const root = tempDir();
  const shared = join(root, "shared");
  const work = join(root, "work");
  mkdirSync(shared);
  mkdirSync(work);
  const target = join(shared, name);
  const link = join(work, name);
  symlinkSync(join("..", "shared", name), link);
  return { shared, work, target, link };
}

function expectStillALink(link: string, to: string): void {
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(readlinkSync(link)).toBe(to);
}

describe("saving through a symbolic link", () => {
  it("writes a project into the file the link points to, and keeps the link", async () => {
    const { work, shared, target, link } = linked("project.json");
    const seed = await Project.open(target, { mode: "w", author: "seed" });
    seed.log("first", () => undefined);
    await seed.save();
    const inode = statSync(target).ino;

    const project = await Project.open(link, { mode: "a", author: "alice" });
    project.log("second", () => undefined);
    await project.save();

    expectStillALink(link, join("..", "shared", "project.json"));
    expect(statSync(target).ino).not.toBe(inode);
    const reopened = await Project.open(target, { mode: "r" });
    expect(reopened.experiments.map((e) => e.name)).toEqual(["first", "second"]);
    expect(readFileSync(target, "utf8")).toBe(serializeProjectFile([...reopened]));
    // No temporary file or lock left in either folder.
    expect(readdirSync(work)).toEqual(["project.json"]);
    expect(readdirSync(shared)).toEqual(["project.json"]);
  });

  it("creates the file a dangling link points to, through a chain of links", async () => {
    const { work, target, link } = linked("project.json");
    const second = join(work, "alias.json");
    symlinkSync("project.json", second);
    const project = await Project.open(second, { mode: "w", author: "alice" });
    project.log("only", () => undefined);
    await project.save();
    expectStillALink(second, "project.json");
    expectStillALink(link, join("..", "shared", "project.json"));
    expect(lstatSync(target).isFile()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe(serializeProjectFile([...project]));
  });

  it("takes the lock beside the real file, so a save through the link and one at the real path share it", async () => {
    const { work, shared, target, link } = linked("project.json");
    writeFileSync(target, "[]");
    const seen: { besideTarget: boolean; besideLink: boolean }[] = [];
    await new LocalStorage().update(link, async (current) => {
      seen.push({
        besideTarget: existsSync(join(shared, "project.json.lock")),
        besideLink: existsSync(join(work, "project.json.lock")),
      });
      return `${new TextDecoder().decode(await current?.read())} changed`;
    });
    expect(seen).toEqual([{ besideTarget: true, besideLink: false }]);
    expect(readFileSync(target, "utf8")).toBe("[] changed");
    expectStillALink(link, join("..", "shared", "project.json"));
  });

  it("queues an update through the link behind one at the real path (one lock, one file)", async () => {
    const { target, link } = linked("list.txt");
    writeFileSync(target, "");
    const storage = new LocalStorage();
    const order: string[] = [];
    await Promise.all(
      ["a", "b", "c", "d"].map((letter, i) =>
        storage.update(i % 2 === 0 ? link : target, async (current) => {
          const text = new TextDecoder().decode(await current?.read());
          order.push(text);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return `${text}${letter}`;
        }),
      ),
    );
    // One at a time: each update read what the one before wrote, and none was lost.
    const final = readFileSync(target, "utf8");
    expect([...final].sort().join("")).toBe("abcd");
    expect(order).toEqual([0, 1, 2, 3].map((n) => final.slice(0, n)));
  });

  it("writes a repository file into the file the link points to", async () => {
    const { target, link } = linked("repository.json");
    const repository = await Repository.open(link, { mode: "w" });
    repository.logArtifact("features", { a: 1 }, "json");
    await repository.save();
    expectStillALink(link, join("..", "shared", "repository.json"));
    const records = JSON.parse(readFileSync(target, "utf8")) as { name: string }[];
    expect(records.map((r) => r.name)).toEqual(["features"]);
    // Artifact files live beside the path the repository was opened with, as in Python.
    const reopened = await Repository.open(link, { mode: "r" });
    expect(await reopened.loadArtifact("features")).toEqual({ a: 1 });
  });

  it("writes a releases file into the file the link points to", async () => {
    const { target, link } = linked("releases.json");
    writeFileSync(target, "[]");
    const releases = [new release.Release("v1", [], new Date("2025-01-01T00:00:00Z"))];
    await release.dump(releases, link);
    expectStillALink(link, join("..", "shared", "releases.json"));
    expect(JSON.parse(readFileSync(target, "utf8"))).toEqual([
      { tag: "v1", artifacts: [], created_at: expect.any(String) },
    ]);
    expect((await release.load(link)).map((r) => r.tag)).toEqual(["v1"]);
  });
});
