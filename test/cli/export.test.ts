import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../src/cli/csv.js";
import { Project } from "../../src/index.js";
import { fixture, tempDir } from "../helpers/fixtures.js";
import { lazyscribe } from "./run.js";

const BASIC = fixture("basic", "project.json");

describe("lazyscribe export", () => {
  it("writes the experiment rows as CSV", async () => {
    const result = await lazyscribe(["export", BASIC, "--format", "csv"]);
    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "name,short_slug,slug,author,last_updated_by,created_at,last_updated,metrics.auroc,metrics.losses,metrics.n_trees,parameters.algorithm,parameters.balanced,parameters.seed",
        'My experiment,my-experiment,my-experiment-20240301101530,alice,alice,2024-03-01T10:15:30,2024-03-01T10:15:30,0.8731,"[0.9,0.5,0.25]",200,lightgbm,true,',
        "Second run,second-run,second-run-20240302080000,bob,bob,2024-03-02T08:00:00,2024-03-02T08:00:00,0.9,,,,,",
        "",
      ].join("\r\n"),
    });
  });

  it("writes the test rows as CSV with --rows tests", async () => {
    const result = await lazyscribe(["export", BASIC, "--format", "csv", "--rows", "tests"]);
    expect(result.stdout).toBe(
      [
        "experiment_name,experiment_short_slug,experiment_slug,test,description,metrics.auroc,parameters.filter",
        "My experiment,my-experiment,my-experiment-20240301101530,Subpopulation A,age < 30,0.71,age < 30",
        "My experiment,my-experiment,my-experiment-20240301101530,Empty test,,,",
        "",
      ].join("\r\n"),
    );
  });

  it("writes experiments and tests as JSON, what toTabular gives", async () => {
    const result = await lazyscribe(["export", BASIC, "--format", "json"]);
    const project = await Project.open(BASIC, { mode: "r" });
    expect(JSON.parse(result.stdout)).toEqual(project.toTabular());
  });

  it("quotes fields holding commas, quotes and line breaks", async () => {
    const fpath = join(tempDir(), "quotes.json");
    const project = await Project.open(fpath, { mode: "w", author: "a" });
    project.log('Say "hi", then\nleave', (exp) => exp.logMetric("x", Number.POSITIVE_INFINITY));
    await project.save();
    const result = await lazyscribe(["export", fpath]);
    const row = result.stdout.split("\r\n")[1];
    expect(row?.startsWith('"Say ""hi"", then\nleave",')).toBe(true);
    expect(row?.endsWith(",Infinity")).toBe(true);
  });

  it("writes to a file with --output", async () => {
    const out = join(tempDir(), "rows.json");
    const result = await lazyscribe(["export", BASIC, "--format", "json", "-o", out]);
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(JSON.parse(readFileSync(out, "utf8")).experiments).toHaveLength(2);
  });

  it("refuses an unknown format, on one line", async () => {
    const result = await lazyscribe(["export", BASIC, "--format", "xml"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "lazyscribe: option '--format <format>' argument 'xml' is invalid. Allowed choices are csv, json.\n",
    });
  });
});

describe("CSV formula injection (OWASP)", () => {
  const HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"];

  it("neutralises text cells that start with =, +, -, @, tab or CR: a leading quote, and quoted", () => {
    const rows = HOSTILE.map((name) => ({ name }));
    expect(toCsv(rows)).toBe(
      [
        "name",
        '"\'=HYPERLINK(""http://x"",""y"")"',
        '"\'+1+1"',
        '"\'-2+3"',
        '"\'@SUM(A1)"',
        '"\'\tx"',
        '"\'\rx"',
        "",
      ].join("\r\n"),
    );
  });

  it("leaves numbers (also negative ones), booleans, lists and other text as they are", () => {
    const rows = [{ value: -1.5, flag: false, list: [-1, 2], text: "a-b", inner: "x=1" }];
    expect(toCsv(rows)).toBe('value,flag,list,text,inner\r\n-1.5,false,"[-1,2]",a-b,x=1\r\n');
  });

  it("writes the text unchanged when escapeFormulas is false", () => {
    expect(toCsv([{ a: "=1+1", b: "@x", c: "-3" }], { escapeFormulas: false })).toBe(
      "a,b,c\r\n=1+1,@x,-3\r\n",
    );
  });

  it("neutralises every text that starts like a formula and keeps the text after the quote", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const cell = (
          toCsv([{ a: text }])
            .split("\r\n")
            .slice(1)
            .join("\r\n") as string
        ).slice(0, -2);
        const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        if (/^[=+\-@\t\r]/.test(text)) expect(unquoted).toBe(`'${text}`);
        else expect(unquoted).toBe(text);
      }),
    );
  });

  it("is on by default in lazyscribe export and off with --no-csv-escape", async () => {
    const fpath = join(tempDir(), "hostile.json");
    const project = await Project.open(fpath, { mode: "w", author: "@mallory" });
    project.log("=HYPERLINK(1)", (exp) => {
      exp.logMetric("loss", -1.5);
      exp.logParameter("note", "-x");
    });
    await project.save();
    const [record] = project.toTabular().experiments as Record<string, string>[];
    const ids = `${record?.short_slug},${record?.slug}`;
    const times = `${record?.created_at},${record?.last_updated}`;
    const header =
      "name,short_slug,slug,author,last_updated_by,created_at,last_updated,metrics.loss,parameters.note";
    const escaped = await lazyscribe(["export", fpath]);
    expect(escaped.stdout).toBe(
      `${header}\r\n"'=HYPERLINK(1)",${ids},"'@mallory","'@mallory",${times},-1.5,"'-x"\r\n`,
    );
    const raw = await lazyscribe(["export", fpath, "--no-csv-escape"]);
    expect(raw.stdout).toBe(
      `${header}\r\n=HYPERLINK(1),${ids},@mallory,@mallory,${times},-1.5,-x\r\n`,
    );
  });
});
