import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, tempDir } from "../helpers/fixtures.js";
import { lazyscribe } from "./run.js";

describe("lazyscribe errors", () => {
  it("reports a missing project file on one line with exit code 1", async () => {
    const result = await lazyscribe(["list", "no/such/project.json"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: "lazyscribe: no/such/project.json: no such project file\n",
    });
  });

  it("reports a folder given for a project file, and what to do", async () => {
    const folder = tempDir();
    expect(await lazyscribe(["list", folder])).toEqual({
      code: 1,
      stdout: "",
      stderr: `lazyscribe: ${folder} is a folder, not a file; name the file inside it\n`,
    });
  });

  it("reports text that is not JSON at all with its line and column", async () => {
    const fpath = join(tempDir(), "page.json");
    writeFileSync(fpath, "<html></html>");
    expect(await lazyscribe(["list", fpath])).toEqual({
      code: 1,
      stdout: "",
      stderr: `lazyscribe: ${fpath}: not JSON at line 1, column 1\n`,
    });
  });

  it("reports a file that is not JSON, naming the file", async () => {
    const fpath = join(tempDir(), "broken.json");
    writeFileSync(fpath, "[{ not json");
    const result = await lazyscribe(["list", fpath]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(new RegExp(`^lazyscribe: ${fpath}: .+\\n$`));
  });

  it("reports a bad record naming the file, the record and the field", async () => {
    const fpath = join(tempDir(), "bad.json");
    writeFileSync(fpath, JSON.stringify([{ name: "x", author: "a", created_at: "yesterday" }]));
    const result = await lazyscribe(["show", fpath, "x"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^lazyscribe: ${fpath}, record 0, field "created_at": [^\\n]+\\n$`),
    );
  });

  it("prints the stack trace only with --debug", async () => {
    const fpath = join(tempDir(), "bad.json");
    writeFileSync(fpath, "{}");
    const plain = await lazyscribe(["list", fpath]);
    expect(plain.stderr.split("\n")).toHaveLength(2);
    expect(plain.stderr).not.toContain("    at ");
    const debug = await lazyscribe(["--debug", "list", fpath]);
    expect(debug.stderr).toContain("    at ");
    expect(debug.code).toBe(1);
  });

  it("reports an unknown option as a usage error with exit code 2", async () => {
    const result = await lazyscribe(["list", fixture("basic", "project.json"), "--colour"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "lazyscribe: unknown option '--colour'\n",
    });
  });

  it("suggests the command meant by a typo, on one line", async () => {
    const result = await lazyscribe(["lst"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "lazyscribe: unknown command 'lst' (Did you mean list?)\n",
    });
  });

  it("reports a missing argument", async () => {
    const result = await lazyscribe(["show", fixture("basic", "project.json")]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "lazyscribe: missing required argument 'slug'\n",
    });
  });

  it.each([
    ["list"],
    ["show"],
    ["compare"],
    ["merge"],
    ["export"],
    ["repo"],
    ["repo diff"],
    ["run"],
    ["serve"],
  ])("prints help for %s with --help and exits 0", async (command) => {
    const result = await lazyscribe([...command.split(" "), "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: lazyscribe ${command} `));
  });
});

describe("lazyscribe serve", () => {
  it("refuses a port that is not a number, on one line", async () => {
    expect(await lazyscribe(["serve", fixture("basic", "project.json"), "--port", "http"])).toEqual(
      {
        code: 2,
        stdout: "",
        stderr:
          "lazyscribe: option '-p, --port <port>' argument 'http' is invalid. the port must be an integer from 0 to 65535.\n",
      },
    );
  });

  it("reports a missing project file", async () => {
    expect(await lazyscribe(["serve", "missing.json", "--port", "0"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "lazyscribe: missing.json: no such project file\n",
    });
  });
});
