/**
 * A saved project whose experiment has artifacts (a JSON value, a PNG image, and a test's
 * JSON value), for the dashboard's artifact routes and pages.
 */
import { join } from "node:path";
import { type ArtifactData, ArtifactHandler, Project, registerHandler } from "../../src/index.js";

/** An 8x8 red PNG. */
export const RED_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGN4YGiIFTEMLQkAoFlQgaEXqTkAAAAASUVORK5CYII=",
  "base64",
);

/** Bytes as they are: the handler of the image artifacts. */
class PngHandler extends ArtifactHandler<Uint8Array> {
  readonly alias = "png";
  readonly suffix = "png";
  readonly binary = true;
  write(value: Uint8Array): ArtifactData {
    return value;
  }
  read(data: ArtifactData): Uint8Array {
    return data as Uint8Array;
  }
}
registerHandler(PngHandler, { replace: true });

/**
 * Saves, in `dir`, a project with the experiment "Sweep lr" (parameters, a list metric, the
 * artifacts `config` (JSON), `plot` (PNG) and, on its test "Holdout", `predictions` (JSON)),
 * and "Baseline" with no artifacts. Returns the project file's path.
 */
export async function saveArtifactProject(dir: string): Promise<string> {
  const fpath = join(dir, "project.json");
  const project = await Project.open(fpath, { mode: "w", author: "ada" });
  await project.log("Baseline", (exp) => {
    exp.logParameter("lr", 0.1).logParameter("optimizer", "sgd");
    exp.logMetric("accuracy", 0.81);
  });
  await project.log("Sweep lr", (exp) => {
    exp.logParameter("lr", 0.01).logParameter("optimizer", "sgd");
    exp.logMetric("accuracy", 0.86);
    exp.logMetric("loss", [0.9, 0.5, 0.3]);
    exp.logArtifact("config", { lr: 0.01, layers: [64, 32] }, "json", { fname: "config.json" });
    exp.logArtifact("plot", RED_PNG, "png", { fname: "plot.png" });
    exp.logTest("Holdout", (test) => {
      test.logMetric("accuracy", 0.84);
      test.logArtifact("predictions", [1, 0, 1], "json", { fname: "predictions.json" });
    });
  });
  await project.save();
  return fpath;
}
