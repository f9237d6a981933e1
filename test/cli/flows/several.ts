/** Two flows in one module: `run` asks which one. */
import { Flow, task } from "../../../src/flow/index.js";

export const first = new Flow("First", () => {
  task("One", () => 1).bind();
});
export const second = new Flow("Second", () => {
  task("Two", () => 2).bind();
});
export const notAFlow = 3;
