import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Project, ValidationError } from "../../../src/index.js";
import { tempDir } from "../../helpers/fixtures.js";

describe("saved means readable (issue 11)", () => {
  it("reopens a project holding a string of 8.5 million characters beside a NaN", async () => {
    const file = join(tempDir(), "project.json");
    const project = await Project.open(file, { mode: "w", author: "alice" });
    const long = "y".repeat(8_500_000);
    project.log("Big config", (exp) => {
      exp.logParameter("config", long);
      exp.logMetric("loss", Number.NaN);
      exp.logMetric("acc", 1);
    });
    await project.save();
    const records = [...(await Project.open(file, { mode: "r" }))];
    expect(records).toHaveLength(1);
    const { parameters, metrics } = records[0] as {
      parameters: Record<string, unknown>;
      metrics: Record<string, unknown>;
    };
    expect(parameters.config).toBe(long);
    expect(metrics.loss).toBeNaN();
    expect(metrics.acc).toBe(1);
  });

  it("opens a 10,000-deep file with a ValidationError naming the file and the place", async () => {
    const file = join(tempDir(), "deep.json");
    writeFileSync(file, `${"[".repeat(10_000)}${"]".repeat(10_000)}`);
    const error = await Project.open(file, { mode: "r" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(
      `${file}: not valid JSON: nested deeper than 512 levels at line 1, column 513`,
    );
  });

  it("says 'not JSON' with the place for text that is not JSON at all", async () => {
    const file = join(tempDir(), "page.json");
    writeFileSync(file, "<html><body>Not found</body></html>");
    const error = await Project.open(file, { mode: "r" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(`${file}: not JSON at line 1, column 1`);
  });
});
