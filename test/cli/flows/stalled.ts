/** A flow whose task never settles (and holds nothing open): the run can never finish. */
import { Flow, task } from "../../../src/flow/index.js";

export const flow = new Flow("Stalled", () => {
  task("Wait forever", () => new Promise<number>(() => undefined)).bind();
});
