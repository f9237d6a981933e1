/** The check of documented command lines against the `lazyscribe` program. */
import { describe, expect, it } from "vitest";
import { createProgram } from "../../src/cli/program.js";
import { commandLineProblems } from "./commandLines.js";

const program = createProgram({ stdout: { write: () => true }, stderr: { write: () => true } });

describe("commandLineProblems", () => {
  it("accepts a command with its arguments, options and values", () => {
    expect(
      commandLineProblems(program, "lazyscribe list p.json --sort auroc --desc # a table"),
    ).toEqual([]);
    expect(commandLineProblems(program, "lazyscribe repo diff r.json features 0 1")).toEqual([]);
    expect(commandLineProblems(program, "lazyscribe list p.json --debug --help")).toEqual([]);
  });

  it("names an unknown command, an unknown option and a missing value", () => {
    expect(commandLineProblems(program, "lazyscribe lst p.json")).toEqual([
      '"lazyscribe lst p.json": no command named "lst"',
    ]);
    expect(commandLineProblems(program, "lazyscribe list p.json --sortt auroc")).toEqual([
      '"lazyscribe list p.json --sortt auroc" (lazyscribe list): no option --sortt',
      '"lazyscribe list p.json --sortt auroc" (lazyscribe list): takes 1 arguments, given 2',
    ]);
    expect(commandLineProblems(program, "lazyscribe list p.json --sort")).toEqual([
      '"lazyscribe list p.json --sort" (lazyscribe list): --sort needs a value',
    ]);
  });

  it("names a wrong count of arguments", () => {
    expect(commandLineProblems(program, "lazyscribe repo diff r.json features 0")).toEqual([
      '"lazyscribe repo diff r.json features 0" (lazyscribe repo diff): takes 4 arguments, given 3',
    ]);
  });
});
