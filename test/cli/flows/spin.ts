/** A flow whose task is a synchronous loop that never ends: only the second Ctrl+C can stop it. */
import { Flow, task } from "../../../src/flow/index.js";

export const flow = new Flow("Spinning", () => {
  task("Spin", () => {
    for (;;) {
      // Never gives the event loop back.
    }
  }).bind();
});
