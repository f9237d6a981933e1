import { describe, expect, it } from "vitest";
import { fixture, fixtureJson } from "../helpers/fixtures.js";
import { lazyscribe } from "./run.js";

const REPOSITORY = fixture("repository", "repository.json");

describe("lazyscribe repo", () => {
  it("lists every version of every artifact with its expiry and status", async () => {
    expect(await lazyscribe(["repo", REPOSITORY])).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "name        version  handler  created              expiry               status   file",
        "----------  -------  -------  -------------------  -------------------  -------  ------------------------------",
        "features          0  json     2024-01-01 00:00:00  2024-03-01 00:00:00  expired  features-20240101000000.json",
        "features          1  json     2024-02-01 00:00:00                       latest   features-20240201000000.json",
        "thresholds        0  json     2024-01-15 00:00:00                       latest   thresholds-20240115000000.json",
        "",
      ].join("\n"),
    });
  });

  it("prints the records Python reads back with --json", async () => {
    const result = await lazyscribe(["repo", REPOSITORY, "--json"]);
    expect(JSON.parse(result.stdout)).toEqual(fixtureJson("repository", "expected.json"));
  });

  it("diffs two versions of an artifact, by version or by creation time", async () => {
    const diff = [
      "--- features/features-20240101000000.json",
      "+++ features/features-20240201000000.json",
      "@@ -1,5 +1 @@",
      "-[",
      "-    0,",
      "-    1,",
      "-    2",
      "-]",
      "+[0, 1, 2, 3]",
      "",
    ].join("\n");
    expect(await lazyscribe(["repo", "diff", REPOSITORY, "features", "1", "0"])).toEqual({
      code: 0,
      stderr: "",
      stdout: diff,
    });
    const byTime = await lazyscribe([
      "repo",
      "diff",
      REPOSITORY,
      "features",
      "2024-01-01T00:00:00",
      "2024-02-01T00:00:00",
    ]);
    expect(byTime.stdout).toBe(diff);
  });

  it("says when two versions are the same", async () => {
    const result = await lazyscribe(["repo", "diff", REPOSITORY, "thresholds", "0", "0"]);
    expect(result).toEqual({ code: 0, stderr: "", stdout: "no differences\n" });
  });

  it("names the version it cannot find, on one line", async () => {
    expect(await lazyscribe(["repo", "diff", REPOSITORY, "features", "0", "7"])).toEqual({
      code: 1,
      stdout: "",
      stderr: `lazyscribe: repository ${REPOSITORY} has no version 7 of artifact "features"\n`,
    });
  });

  it("reports a missing repository file", async () => {
    expect(await lazyscribe(["repo", "nowhere/repository.json"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "lazyscribe: nowhere/repository.json: no such repository file\n",
    });
  });
});
